// Runs the minimal example as a user would (node main.mjs) against the
// emulator in host mode, and checks what it prints.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildPlan, emulatorLibraryPath, FIXTURES } from "@trt/emulator";
import { createSerializedEngine, writeEngineFileSync } from "@trt/sdk";
import { afterAll, describe, expect, it } from "vitest";
import { reference } from "../../engines/sample.mjs";

const here = join(dirname(fileURLToPath(import.meta.url)), "..");
const tmp = mkdtempSync(join(tmpdir(), "trt-minimal-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/**
 * Runs `node main.mjs ...args`. A child that hangs fails with its own status rather than blocking the
 * worker (spawnSync cannot be interrupted by the test timeout; vitest.config.ts allows 120 s a test).
 */
function main(args: string[] = []): { code: number | null; stdout: string; stderr: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, TRT_NVINFER_PATH: emulatorLibraryPath(10) };
  delete env.TRT_RUNTIME;
  const r = spawnSync(process.execPath, [join(here, "main.mjs"), ...args], { encoding: "utf8", env, timeout: 90_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("examples/minimal", () => {
  it("runs the sample engine at its opt shape and prints the output", () => {
    const { code, stdout, stderr } = main();
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const x = Float32Array.from({ length: 4 * 8 }, (_, i) => i / 8); // the ramp main.mjs feeds, at opt [4, 8]
    const y = reference(x, 4).map((v) => Number(v.toPrecision(6)));
    expect(stdout).toBe(`y float [4, 4]: ${y.join(", ")}\n`);
  });

  it("runs any engine file given on the command line", () => {
    const file = join(tmp, "identity.trtengine");
    writeEngineFileSync(file, createSerializedEngine({ engine: buildPlan(FIXTURES.identity_f32!) }));
    const { code, stdout } = main([file]);
    expect(code).toBe(0);
    const name = FIXTURES.identity_f32!.outputs[0];
    expect(stdout).toBe(`${name} float [2, 3]: 0, 0.125, 0.25, 0.375, 0.5, 0.625\n`);
  });
});
