// `trt bench` on the emulator: the latency report, JSON, per-layer times
// from TensorRT's profiler (also for an engine with a data-dependent output),
// and argument errors. Small iteration counts: this checks the command, not
// the machine.
import { join } from "node:path";
import { buildPlan, FIXTURES } from "@trt/emulator";
import { createSerializedEngine } from "@trt/format";
import { writeEngineFileSync } from "@trt/format/node";
import { describe, expect, it } from "vitest";
import type { BenchReport } from "../src/commands/bench.js";
import { sample, sampleInput, tempDir, trt } from "./support/cli.js";

const tmp = tempDir("trt-bench-");

describe("trt bench", () => {
  it("prints latency percentiles and throughput, and the slowest layers with --profile", () => {
    const { code, stdout, stderr } = trt(["bench", sample, "-n", "50", "--warmup", "5", "--profile", "--top", "2"]);
    expect(stderr).toBe(""); // no progress bar: stderr is not a terminal
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^sample_engine on (native|ffi) \(host:0, TensorRT emulator [\d.]+ \(host mode, not TensorRT\)\): 50 runs after 5 warm-up, run\(\), device inputs x \[4, 8\]$/);
    expect(lines[1]).toMatch(/^latency ms {2}min [\d.e-]+ {2}mean [\d.e-]+ {2}p50 [\d.e-]+ {2}p90 [\d.e-]+ {2}p99 [\d.e-]+ {2}max [\d.e-]+$/);
    expect(lines[2]).toMatch(/^throughput {2}\d+ runs\/s$/);
    expect(lines[3]).toMatch(/^layers {6}top 2 of 3 by mean time over 20 profiled runs \(TensorRT IProfiler; [\d.e-]+ ms per run in layers\)$/);
    expect(lines[4]).toMatch(/^ {2}layer +mean ms +median ms +share$/);
    expect(lines.slice(5)).toHaveLength(2);
    for (const row of lines.slice(5)) expect(row).toMatch(/^ {2}(fc1|fc2|relu1) +[\d.e-]+ +[\d.e-]+ +[\d.]+%$/);
  });

  it("--json: consistent statistics, every layer profiled once per run", () => {
    const { code, stdout } = trt(["--runtime", "ffi", "bench", sample, "-n", "40", "--warmup", "2", "--json", "--profile", "--profile-runs", "7", "--shape", "x=16x8"]);
    expect(code).toBe(0);
    const r = JSON.parse(stdout) as BenchReport;
    expect(r).toMatchObject({ name: "sample_engine", implementation: "ffi", device: "host:0", tensorrt: expect.stringMatching(/^TensorRT emulator /), call: "run", inputs: "device", shapes: { x: [16, 8] }, warmup: 2 });
    const l = r.latencyMs;
    expect(l.runs).toBe(40);
    expect(l.min).toBeGreaterThan(0);
    expect(l.min).toBeLessThanOrEqual(l.p50);
    expect(l.p50).toBeLessThanOrEqual(l.p90);
    expect(l.p90).toBeLessThanOrEqual(l.p99);
    expect(l.p99).toBeLessThanOrEqual(l.max);
    expect(r.throughput).toBeGreaterThan(0);
    expect(r.throughput).toBeLessThanOrEqual(1000 / l.mean + 1e-9);
    const layers = r.layers!;
    expect(layers.runs).toBe(7);
    expect(layers.layers.map((x) => x.name).sort()).toEqual(["fc1", "fc2", "relu1"]);
    for (const x of layers.layers) expect(x.reports).toBe(7);
    expect(layers.layers.reduce((a, x) => a + x.share, 0)).toBeCloseTo(1, 9);
    expect([...layers.layers].sort((a, b) => b.meanMs - a.meanMs)).toEqual(layers.layers);
  });

  it("takes inputs from .npy files, copies from the host on every run with --host-inputs, and measures runSync with --sync", () => {
    const { code, stdout } = trt(["bench", sample, "-i", `x=${sampleInput}`, "-n", "10", "--warmup", "0", "--host-inputs", "--sync", "--json"]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ call: "runSync", inputs: "host", shapes: { x: [2, 8] }, latencyMs: { runs: 10 } });
  });

  it("profiles engines whose outputs are sized by their data (served through the output allocator)", () => {
    const file = join(tmp, "nonzero.trtengine");
    writeEngineFileSync(file, createSerializedEngine({ name: "nonzero", engine: buildPlan(FIXTURES.nonzero!) }));
    const { code, stdout, stderr } = trt(["bench", file, "-n", "5", "--warmup", "1", "--profile", "--profile-runs", "3", "--json"]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const r = JSON.parse(stdout) as BenchReport;
    expect(r.shapes).toEqual({ x: [FIXTURES.nonzero!.profiles![0]!.x!.opt[0], 5] }); // profile 0's opt shape
    expect(r.layers!.layers.length).toBeGreaterThan(0);
  });

  it.each([
    ["a shape outside the static dims", ["--shape", "x=4x9"], /^error \[BAD_ARGUMENT\]: --shape x=4x9 does not fit x float \[-1, 8\]\n$/],
    ["a malformed shape", ["--shape", "x=4by8"], /^error \[BAD_ARGUMENT\]: --shape x= "4by8": expected dims like 2x8/],
    ["a shape outside the profile", ["--shape", "x=32x8"], /^error \[INVALID_INPUT\]: Invalid shape for input "x"/],
    ["zero iterations", ["-n", "0"], /^error \[USAGE\]: option '-n, --iterations <n>' argument '0' is invalid\. expected a whole number >= 1\n/],
  ])("refuses %s", (_what, args, message) => {
    const r = trt(["bench", sample, ...args]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
  });
});
