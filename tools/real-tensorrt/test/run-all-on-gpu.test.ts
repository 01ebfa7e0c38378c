/**
 * run-all-on-gpu.sh's bookkeeping, on the CPU: steps left out by --only and
 * --skip are recorded as skipped, a step that fails is recorded as FAILED
 * without stopping the ones after it, each has its log, and the exit status
 * says whether any failed. (Its steps themselves need a GPU.)
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const script = resolve(dirname(fileURLToPath(import.meta.url)), "..", "run-all-on-gpu.sh");
const dir = mkdtempSync(join(tmpdir(), "trt-run-all-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
// A TensorRT folder with nothing in it: every step that needs TensorRT fails at once.
const trt = join(dir, "trt");
mkdirSync(join(trt, "lib"), { recursive: true });

function runAll(out: string, ...args: string[]) {
  const r = spawnSync("bash", [script, "10", trt, out, ...args], { encoding: "utf8", timeout: 120_000 });
  const rows = readFileSync(join(out, "summary.tsv"), "utf8").trim().split("\n").map((line) => line.split("\t"));
  return { status: r.status, output: `${r.stdout}${r.stderr}`, rows: new Map(rows.map(([name, result]) => [name!, result!])) };
}

describe("run-all-on-gpu.sh", () => {
  it("runs only the steps asked for, records the others as skipped, and keeps each step's log", () => {
    const out = join(dir, "only");
    const r = runAll(out, "--only", "wait-benches");
    expect(r.status, r.output).toBe(0);
    expect(r.rows.get("wait-benches")).toBe("ok");
    expect([...r.rows.keys()]).toEqual(["fixtures", "plugins", "models", "test-models", "anchors", "bench-models", "bench-rounds", "wait-sweep", "wait-benches", "server-batching", "server-graphs", "interop", "host-code", "compile"]);
    for (const [name, result] of r.rows) if (name !== "wait-benches") expect(result, name).toBe("skipped");
    expect(existsSync(join(out, "logs", "wait-benches.log"))).toBe(true);
  });

  it("records a failing step as FAILED, goes on to the next, and exits non-zero", () => {
    const out = join(dir, "failing");
    const r = runAll(out, "--only", "compile,wait-benches");
    expect(r.rows.get("compile")).toBe("FAILED");
    expect(r.rows.get("wait-benches")).toBe("ok");
    expect(r.status).toBe(1);
    expect(r.output).toContain("[all] compile FAILED");
  });

  it("leaves out what --skip names", () => {
    const out = join(dir, "skip");
    const r = runAll(out, "--only", "wait-benches,compile", "--skip", "compile");
    expect(r.rows.get("compile")).toBe("skipped");
    expect(r.status).toBe(0);
  });

  it("runs bench-rounds and server-graphs only when --only names them", () => {
    const out = join(dir, "on-request");
    const all = "fixtures,plugins,models,test-models,anchors,bench-models,wait-sweep,wait-benches,server-batching,interop,host-code,compile";
    const r = runAll(out, "--skip", all);
    expect(r.status, r.output).toBe(0);
    expect(r.rows.get("bench-rounds")).toBe("skipped");
    expect(r.rows.get("server-graphs")).toBe("skipped");
    expect([...r.rows.values()].every((v) => v === "skipped")).toBe(true);
  });

  it("refuses an argument it does not know", () => {
    const r = spawnSync("bash", [script, "10", trt, join(dir, "bad"), "--fast"], { encoding: "utf8", timeout: 60_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("unknown argument --fast");
  });
});
