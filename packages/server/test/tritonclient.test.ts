// Triton's own clients (tritonclient[http] and [grpc], from PyPI) against
// trt-server as a process on the emulator, over REST and gRPC: health,
// metadata, inference in JSON, in binary and with raw gRPC contents,
// concurrent async requests, every datatype bit for bit, tensors over 4 MB on
// gRPC, statistics, the repository extension (index, unload, load), and the
// errors a client must see as InferenceServerException with the right status.
//
// The client lives in a venv cached under node_modules/.cache (see
// support/python-venv.ts); the first run installs it from PyPI. Without
// python3 the test is skipped, saying so; with python3 but no way to install
// the client (no network, no PyPI) it fails, saying why: a client test that
// did not run must not pass.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdirSync, copyFileSync } from "node:fs";
import { dtypesPlan, identityPlan, reference, sampleEngine, sampleInput } from "./support/fixtures.js";
import { startServer } from "./support/process.js";
import type { ServerProcess } from "./support/process.js";
import { PIP_TIMEOUT_MS, pythonVersion, runProcess, TRITONCLIENT, tritonclientPython } from "./support/python-venv.js";

const script = fileURLToPath(new URL("tritonclient_check.py", import.meta.url));
const grpcScript = fileURLToPath(new URL("tritonclient_grpc_check.py", import.meta.url));
const version = await pythonVersion();
if (!version) console.log("[@trt/server] tritonclient test skipped: python3 is not on PATH");

/** The values the dtypes engine is fed: edge values of each type, INT64 beyond 2^53 (as strings: JSON numbers would round them). */
const DTYPE_VALUES = {
  f32: [1.5, -2.25, 3.4e38, 1e-45],
  f16: [0.5, -65504, 6e-8],
  bf16: [1.5, -3.0e38],
  i8: [-128, 0, 127],
  u8: [0, 200, 255],
  i32: [-2147483648, 2147483647],
  i64: ["9007199254740993", "-9223372036854775808", "9223372036854775807"],
  b: [true, false, false, true, true, false],
};

interface Decoded {
  shape: number[];
  dtype: string;
  values: number[];
  sent_as_binary: boolean;
}
interface Report {
  live: boolean;
  ready: boolean;
  server_metadata: unknown;
  model_ready: boolean;
  model_ready_v1: boolean;
  unknown_model_ready: boolean;
  model_metadata: unknown;
  model_metadata_v1: unknown;
  dtypes_metadata: { inputs: unknown[]; outputs: unknown[] };
  json_mode: { id: string; y: Decoded }[];
  binary_mode: { id: string; y: Decoded }[];
  all_outputs: Record<string, Decoded>;
  async: { id: string; y: number[] }[];
  dtypes_binary: { same: Record<string, boolean>; nz: { shape: number[]; values: number[] }; i64: string[] };
  dtypes_json: { same: Record<string, boolean>; nz: { shape: number[]; values: number[] }; i64: string[] };
  errors: Record<string, { status: string; message: string } | null>;
}

interface GrpcReport {
  live: boolean;
  ready: boolean;
  server_metadata: unknown;
  model_ready: boolean;
  unknown_model_ready: boolean;
  model_metadata: unknown;
  infer: { id: string; shape: number[]; dtype: string; values: number[] }[];
  async: Record<string, number[]>;
  dtypes: { same: Record<string, boolean>; nz: { shape: number[]; values: number[] } };
  big: { bytes: number; same: boolean };
  statistics: { name: string; version: string; inference_count: number; execution_count: number; success: number };
  index_before: [string, string][];
  index_after_unload: [string, string][];
  big_ready_after_unload: boolean;
  big_ready_after_load: boolean;
  errors: Record<string, { status: string; message: string } | null>;
}

describe.runIf(version)(`tritonclient (${TRITONCLIENT}) against trt-server`, () => {
  const tmp = mkdtempSync(join(tmpdir(), "trt-tritonclient-"));
  const cases = [0, 1, 2, 3].map((i) => ({ id: `req-${i}`, ...sampleInput(i) }));
  let python: string;
  let server: ServerProcess;
  let report: Report;
  let grpcReport: GrpcReport;

  // The first run makes the venv and installs the client from PyPI (PIP_TIMEOUT_MS at most); later runs
  // reuse it and take seconds. The bound covers the install plus starting the server on two busy cores.
  beforeAll(async () => {
    python = await tritonclientPython(version!);
    const dtypes = join(tmp, "dtypes.engine");
    writeFileSync(dtypes, dtypesPlan());
    // A repository: "big" for tensors over 4 MB, "slow" whose batches wait a minute for company (a request with a timeout gives up first).
    const repository = join(tmp, "repository");
    mkdirSync(join(repository, "big", "1"), { recursive: true });
    writeFileSync(join(repository, "big", "1", "model.plan"), identityPlan(1 << 18));
    mkdirSync(join(repository, "slow", "1"), { recursive: true });
    copyFileSync(sampleEngine, join(repository, "slow", "1", "model.trtengine"));
    writeFileSync(join(repository, "slow", "config.json"), JSON.stringify({ dynamicBatching: { maxQueueDelayMicroseconds: 60_000_000 } }));
    // Past the test's own bound: a slow drain is not a failed one.
    server = startServer([
      "--model", `sample=${sampleEngine}`, "--model", `dtypes=${dtypes}`,
      "--model-repository", repository, "--model-control-mode", "explicit", "--load-model", "big", "--load-model", "slow",
      "--port", "0", "--grpc-port", "0", "--drain-timeout", "300000",
    ]);
    const url = await server.url();
    const grpcAddress = await server.grpcAddress();
    const casesFile = join(tmp, "cases.json");
    writeFileSync(casesFile, JSON.stringify({ sample: cases, dtypes: DTYPE_VALUES }));
    // numpy and gevent load in a second or two, the calls take milliseconds; the bound is for two busy cores.
    const r = await runProcess(python, [script, url.replace(/^http:\/\//, ""), casesFile], 120_000);
    if (r.code !== 0) throw new Error(`tritonclient_check.py failed (${r.signal ?? r.code}):\n${r.stderr}`);
    report = JSON.parse(r.stdout) as Report;
    const g = await runProcess(python, [grpcScript, grpcAddress, casesFile], 120_000);
    if (g.code !== 0) throw new Error(`tritonclient_grpc_check.py failed (${g.signal ?? g.code}):\n${g.stderr}`);
    grpcReport = JSON.parse(g.stdout) as GrpcReport;
  }, PIP_TIMEOUT_MS + 360_000);

  afterAll(async () => {
    if (server && server.child.exitCode === null) {
      server.child.kill("SIGTERM");
      expect(await server.exited).toEqual({ code: 0, signal: null });
    }
    rmSync(tmp, { recursive: true, force: true });
  });

  it("sees the server live and ready, and its metadata", () => {
    expect([report.live, report.ready]).toEqual([true, true]);
    expect(report.server_metadata).toEqual({ name: "trt-server", version: expect.any(String), extensions: ["binary_tensor_data"] });
    expect([report.model_ready, report.model_ready_v1, report.unknown_model_ready]).toEqual([true, true, false]);
    const sample = { name: "sample", versions: ["1"], platform: "tensorrt_plan", inputs: [{ name: "x", datatype: "FP32", shape: [-1, 8] }], outputs: [{ name: "y", datatype: "FP32", shape: [-1, 4] }] };
    expect(report.model_metadata).toEqual(sample);
    expect(report.model_metadata_v1).toEqual(sample);
    expect(report.dtypes_metadata.outputs).toContainEqual({ name: "nz", datatype: "INT64", shape: [2, -1] });
  });

  it("infers in JSON mode and in binary mode, each matching the reference, with the request id echoed", () => {
    for (const [mode, results] of [["json", report.json_mode], ["binary", report.binary_mode]] as const) {
      results.forEach((r, i) => {
        const batch = cases[i]!.shape[0];
        expect(r, `${mode} ${i}`).toEqual({
          id: `req-${i}`,
          y: { shape: [batch, 4], dtype: "float32", values: reference(cases[i]!.data, batch), sent_as_binary: mode === "binary" },
        });
      });
    }
  });

  it("gets every output in binary when it names none, and answers concurrent async requests each with its own result", () => {
    expect(report.all_outputs).toEqual({ y: { shape: [1, 4], dtype: "float32", values: reference(cases[0]!.data, 1), sent_as_binary: true } });
    expect(report.async).toEqual(cases.map((c) => ({ id: c.id, y: reference(c.data, c.shape[0]) })));
  });

  it("carries FP32, FP16, BF16, INT8, UINT8, INT32, INT64 and BOOL bit for bit, in binary and with JSON outputs", () => {
    const all = { f32: true, f16: true, bf16: true, i8: true, u8: true, i32: true, i64: true, b: true };
    for (const round of [report.dtypes_binary, report.dtypes_json]) {
      expect(round.same).toEqual(all);
      expect(round.i64).toEqual(DTYPE_VALUES.i64);
      // NonZero of b [[1, 0, 0], [1, 1, 0]]: its shape comes from the data.
      expect(round.nz).toEqual({ shape: [2, 3], values: [0, 1, 1, 0, 0, 1] });
    }
  });

  it("raises InferenceServerException with the protocol's status for what the server refuses", () => {
    const e = report.errors;
    expect(e.unknown_model).toEqual({ status: "404", message: 'model "nope" is not served here; the models are "sample", "dtypes", "big", "slow"' });
    expect(e.unknown_version).toEqual({ status: "404", message: 'model "sample" has no version "2"; it serves version "1"' });
    expect(e.unknown_model_metadata).toMatchObject({ status: "404" });
    expect(e.bad_datatype).toEqual({ status: "400", message: 'input "x": datatype INT32 does not match the model\'s FP32; send FP32' });
    expect(e.wrong_shape).toEqual({ status: "400", message: 'input "x": shape [2, 7] does not match the model\'s [-1, 8]: dim 1 must be 8' });
    expect(e.outside_profile).toMatchObject({ status: "400", message: expect.stringMatching(/^input "x": invalid shape: .*found x \[17, 8\]$/) });
    expect(e.unknown_input).toEqual({ status: "400", message: 'model "sample" has no input "z"; its inputs are "x"' });
    expect(e.unknown_output).toEqual({ status: "400", message: 'model "sample" has no output "nope"; its outputs are "y"' });
  });

  it("over gRPC: health, metadata, raw-contents inference against the reference, async calls and every datatype bit for bit", () => {
    const g = grpcReport;
    expect([g.live, g.ready, g.model_ready, g.unknown_model_ready]).toEqual([true, true, true, false]);
    expect(g.server_metadata).toEqual({ name: "trt-server", version: expect.any(String), extensions: ["binary_tensor_data"] });
    // Protobuf's JSON writes int64 as strings.
    expect(g.model_metadata).toEqual({ name: "sample", versions: ["1"], platform: "tensorrt_plan", inputs: [{ name: "x", datatype: "FP32", shape: ["-1", "8"] }], outputs: [{ name: "y", datatype: "FP32", shape: ["-1", "4"] }] });
    g.infer.forEach((r, i) => {
      const batch = cases[i]!.shape[0];
      expect(r).toEqual({ id: `req-${i}`, shape: [batch, 4], dtype: "float32", values: reference(cases[i]!.data, batch) });
    });
    expect(g.async).toEqual(Object.fromEntries(cases.map((c) => [c.id, reference(c.data, c.shape[0])])));
    expect(g.dtypes.same).toEqual({ f32: true, f16: true, bf16: true, i8: true, u8: true, i32: true, i64: true, b: true });
    expect(g.dtypes.nz).toEqual({ shape: [2, 3], values: [0, 1, 1, 0, 0, 1] });
  });

  it("over gRPC: a tensor over 4 MB each way, statistics, and the repository extension", () => {
    const g = grpcReport;
    expect(g.big).toEqual({ bytes: 196608 * 8 * 4, same: true });
    expect(g.statistics).toEqual({ name: "sample", version: "1", inference_count: expect.any(Number), execution_count: expect.any(Number), success: expect.any(Number) });
    // Every request so far on "sample" succeeded, and each was one run (no batching on this model).
    expect(g.statistics.execution_count).toBe(g.statistics.success);
    expect(g.statistics.success).toBeGreaterThanOrEqual(cases.length * 4 + 1);
    expect(g.index_before).toEqual([["big", "READY"], ["dtypes", "READY"], ["sample", "READY"], ["slow", "READY"]]);
    expect(g.index_after_unload).toEqual([["big", "UNAVAILABLE"], ["dtypes", "READY"], ["sample", "READY"], ["slow", "READY"]]);
    expect([g.big_ready_after_unload, g.big_ready_after_load]).toEqual([false, true]);
  });

  it("over gRPC: errors carry the status codes a gRPC client expects", () => {
    const e = grpcReport.errors;
    // "big" was unloaded and loaded again: it is listed last now.
    expect(e.unknown_model).toEqual({ status: "StatusCode.NOT_FOUND", message: 'model "nope" is not served here; the models are "sample", "dtypes", "slow", "big"' });
    expect(e.unknown_version).toEqual({ status: "StatusCode.NOT_FOUND", message: 'model "sample" has no version "2"; it serves version "1"' });
    expect(e.unknown_model_metadata).toMatchObject({ status: "StatusCode.NOT_FOUND" });
    expect(e.bad_datatype).toEqual({ status: "StatusCode.INVALID_ARGUMENT", message: 'input "x": datatype INT32 does not match the model\'s FP32; send FP32' });
    expect(e.wrong_shape).toEqual({ status: "StatusCode.INVALID_ARGUMENT", message: 'input "x": shape [2, 7] does not match the model\'s [-1, 8]: dim 1 must be 8' });
    expect(e.outside_profile).toMatchObject({ status: "StatusCode.INVALID_ARGUMENT", message: expect.stringMatching(/^input "x": invalid shape: .*found x \[17, 8\]$/) });
    expect(e.unknown_output).toEqual({ status: "StatusCode.INVALID_ARGUMENT", message: 'model "sample" has no output "nope"; its outputs are "y"' });
    expect(e.timeout).toEqual({ status: "StatusCode.DEADLINE_EXCEEDED", message: "the request waited its timeout of 2000 µs for a run" });
    expect(e.load_unknown).toEqual({ status: "StatusCode.NOT_FOUND", message: 'the model repository has no model "absent"' });
    expect(e.unload_command_line_model).toEqual({ status: "StatusCode.INVALID_ARGUMENT", message: 'model "sample" is given on the command line (--model), not by the repository; it cannot be unloaded' });
  });
});
