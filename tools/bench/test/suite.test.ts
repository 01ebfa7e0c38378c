/**
 * The suite's short mode, end to end on whatever this machine has (the
 * emulator in host mode in CI): every case and row is present, the rows that
 * can run here produce finite timings, the rows that cannot say why, and the
 * ratios, throughput and memory sections are filled. No timing assertions.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { CASES } from "../src/cases.js";
import type { BenchReport } from "../src/report.js";
import { ROWS } from "../src/rows.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
let dir: string;
let report: BenchReport;
let stdout: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "trt-bench-test-"));
  const run = spawnSync(process.execPath, ["--expose-gc", "--import", "tsx", "src/main.ts", "--quick", "--json", join(dir, "out.json"), "--markdown", join(dir, "out.md")], {
    cwd: root,
    encoding: "utf8",
    timeout: 200_000,
  });
  if (run.status !== 0) throw new Error(`bench failed (${run.status}): ${run.stderr}`);
  stdout = run.stdout;
  report = JSON.parse(readFileSync(join(dir, "out.json"), "utf8")) as BenchReport;
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("pnpm bench, short mode", () => {
  it("measures every case on every row, or says why a row cannot run here", () => {
    expect(report.cases.map((c) => c.id)).toEqual(CASES.map((c) => c.id));
    for (const c of report.cases) {
      for (const { key } of ROWS) {
        const m = c.rows[key];
        if (m.unsupported !== undefined) {
          expect(m.unsupported.length, `${c.id}/${key} gives a reason`).toBeGreaterThan(10);
          expect(m.host).toBeNull();
        } else {
          expect(m.iterations, `${c.id}/${key}`).toBeGreaterThan(0);
          expect(Number.isFinite(m.host!.medianUs) && m.host!.medianUs > 0, `${c.id}/${key} median`).toBe(true);
          expect(m.host!.p99Us).toBeGreaterThanOrEqual(m.host!.medianUs);
          expect(m.host!.minUs).toBeLessThanOrEqual(m.host!.medianUs);
        }
      }
      // The floor and the ffi engine run everywhere the emulator does.
      expect(c.rows.floor.unsupported, c.id).toBeUndefined();
      expect(c.rows.ffi.unsupported, c.id).toBeUndefined();
    }
  });

  it("reports the ratios it promises, from the rows that ran", () => {
    const names = new Set(report.ratios.map((r) => r.name));
    expect(names).toContain("ffi / native");
    expect(names).toContain("native / floor");
    expect(names).toContain("native / (1.25 × floor + 5 µs)");
    expect(names).toContain("ffi output-allocator overhead (vs identity)");
    for (const r of report.ratios) {
      expect(Number.isFinite(r.value), `${r.case} ${r.name}`).toBe(true);
      if (r.unit === "ratio") expect(r.value, `${r.case} ${r.name}`).toBeGreaterThan(0);
      if (r.target !== null) expect(typeof r.met).toBe("boolean");
    }
    // A graph ratio only where both graph rows ran.
    for (const r of report.ratios.filter((x) => x.name.includes("cudaGraphLaunch"))) {
      const c = report.cases.find((x) => x.id === r.case)!;
      expect(c.rows.floor_graph.host).not.toBeNull();
    }
  });

  it("measures throughput at 1, 2, 4 and 8 in flight, with that many runs really in flight", () => {
    const ffi = report.throughput.filter((t) => t.implementation === "ffi");
    expect(ffi.map((t) => t.inFlight)).toEqual([1, 2, 4, 8]);
    for (const t of report.throughput) {
      expect(t.requestsPerSecond).toBeGreaterThan(0);
      expect(t.peakInFlight).toBeLessThanOrEqual(t.inFlight);
      expect(t.peakInFlight).toBeGreaterThanOrEqual(Math.min(t.inFlight, 2));
    }
  });

  it("checks memory over many calls: pool back where it was", () => {
    expect(report.memory.length).toBeGreaterThan(0);
    for (const m of report.memory) {
      expect(m.poolLiveBytesAfter).toBe(m.poolLiveBytesBefore);
      expect(m.rssAfterBytes).toBeGreaterThan(0);
    }
  });

  it("prints the tables and writes the Markdown form", () => {
    expect(stdout).toContain("ratios (host medians, same run)");
    expect(stdout).toContain("throughput vs requests in flight");
    const md = readFileSync(join(dir, "out.md"), "utf8");
    expect(md).toContain("#### identity:");
    expect(md).toContain("| ffi runSync |");
  });
});
