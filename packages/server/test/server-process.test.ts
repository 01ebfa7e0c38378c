// trt-server as a process over two models on the emulator. Requests are made
// in flight deterministically: each sends its headers and half its body, so
// the server has received it (it logs "incoming request") but cannot answer
// yet. Then SIGTERM: the server must stop taking connections, answer every
// one of those requests once its body completes, release both models and
// exit 0. And the command line's failures: exit 2 with the usage for a bad
// command line, 1 with one error line for an engine that does not load.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import type { ClientRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildPlan } from "@trt/emulator";
import { afterAll, describe, expect, it } from "vitest";
import { emulator10, reference, sampleEngine, sampleInput } from "./support/fixtures.js";
import { bin, startServer } from "./support/process.js";

const tmp = mkdtempSync(join(tmpdir(), "trt-server-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A raw plan: y = x (float32 [4]) after a 5 ms busy-wait, so the engine does some work. */
function waitEngine(): string {
  const file = join(tmp, "wait.engine");
  const plan = buildPlan({
    name: "wait",
    inputs: [{ name: "x", dtype: "float32", shape: [4] }],
    layers: [{ op: "busywait", name: "wait", input: "x", output: "y", microseconds: 5_000 }],
    outputs: ["y"],
  });
  writeFileSync(file, plan);
  return file;
}

/** POSTs `body` with its second half held back until `finish()`. */
function slowPost(url: string, body: Buffer, headers: Record<string, string | number>) {
  let req!: ClientRequest;
  const response = new Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
    req = request(url, { method: "POST", headers: { ...headers, "content-length": body.length } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
  });
  const half = body.length >> 1;
  req.write(body.subarray(0, half));
  return { finish: () => req.end(body.subarray(half)), response };
}

describe("trt-server as a process", () => {
  it("serves two models; on SIGTERM answers every request in flight, refuses new connections, releases both and exits 0", async () => {
    const s = startServer([
      "--model", `sample=${sampleEngine},max-concurrency=2`,
      "--model", `wait=${waitEngine()},max-concurrency=1,max-queue=8`,
      "--port", "0", "--log-requests", "--drain-timeout", "300000", // past the test's own bound: a slow drain is not a failed one
    ]);
    const url = await s.url();
    const [serving] = await s.logged((l) => l.msg === "serving");
    expect(serving).toMatchObject({
      // The implementation serving, and why (auto: native when its addon loads, else ffi).
      engine: expect.stringMatching(/^(native|ffi)$/),
      engineReason: expect.stringMatching(/^(the native addon loaded \(.+\)|native is unavailable: .+)$/),
      tensorrt: expect.stringMatching(/^TensorRT emulator .* \(host mode, not TensorRT\)$/),
      models: [
        { name: "sample", version: "1", maxConcurrency: 2, admission: 66 },
        { name: "wait", version: "1", maxConcurrency: 1, admission: 9 },
      ],
    });
    const ready = await fetch(`${url}/v2/models/wait/ready`, { headers: { connection: "close" } });
    expect(ready.status).toBe(200);

    // Three JSON requests for "sample", three binary ones for "wait".
    const posts = [0, 1, 2].map((i) => {
      const { data, shape } = sampleInput(i);
      const body = Buffer.from(JSON.stringify({ inputs: [{ name: "x", shape, datatype: "FP32", data }] }));
      return slowPost(`${url}/v2/models/sample/infer`, body, { "content-type": "application/json" });
    });
    const xs = [0, 1, 2].map((i) => Float32Array.from([i, i + 0.5, -i - 1, 2 * i]));
    for (const x of xs) {
      const header = Buffer.from(JSON.stringify({ inputs: [{ name: "x", shape: [4], datatype: "FP32", parameters: { binary_data_size: 16 } }], parameters: { binary_data_output: true } }));
      posts.push(slowPost(`${url}/v2/models/wait/infer`, Buffer.concat([header, Buffer.from(x.buffer)]), { "inference-header-content-length": header.length }));
    }
    await s.logged((l) => l.msg === "incoming request" && /\/infer$/.test((l.req as { url: string }).url), posts.length);

    s.child.kill("SIGTERM");
    const [draining] = await s.logged((l) => l.msg === "draining");
    expect(draining).toMatchObject({ signal: "SIGTERM", inFlight: posts.length });
    // The listener is closed: a new connection is refused while the old requests are still open.
    await expect(fetch(`${url}/v2/health/ready`)).rejects.toThrow();

    for (const p of posts) p.finish();
    const answers = await Promise.all(posts.map((p) => p.response));
    answers.slice(0, 3).forEach((a, i) => {
      expect(a.status).toBe(200);
      expect(JSON.parse(a.body.toString()).outputs[0].data).toEqual(reference(sampleInput(i).data, i + 1));
    });
    answers.slice(3).forEach((a, i) => {
      expect(a.status).toBe(200);
      const length = Number(a.headers["inference-header-content-length"]);
      expect(JSON.parse(a.body.subarray(0, length).toString()).outputs[0]).toEqual({ name: "y", datatype: "FP32", shape: [4], parameters: { binary_data_size: 16 } });
      expect(a.body.subarray(length)).toEqual(Buffer.from(xs[i]!.buffer));
    });
    expect(await s.exited).toEqual({ code: 0, signal: null });
    expect(s.stderr()).toBe("");
    const [released] = await s.logged((l) => l.msg === "released the models; exiting");
    expect(released!.runs).toEqual({ sample: 3, wait: 3 });
  });

  it("with --http-threads, serves from its intake threads and drains them on SIGTERM: a request still arriving is answered, then it exits 0", async () => {
    const s = startServer(["--model", `sample=${sampleEngine}`, "--port", "0", "--http-threads", "2", "--drain-timeout", "300000"]);
    const url = await s.url();
    const [listening] = await s.logged((l) => l.msg.startsWith("Server listening at "));
    expect(listening).toMatchObject({ httpThreads: 2 });
    const { data, shape } = sampleInput(4);
    const body = Buffer.from(JSON.stringify({ inputs: [{ name: "x", shape, datatype: "FP32", data }] }));
    const whole = await fetch(`${url}/v2/models/sample/infer`, { method: "POST", body, headers: { "content-type": "application/json", connection: "close" } });
    expect(JSON.parse(await whole.text()).outputs[0].data).toEqual(reference(data, 5));

    // A request an intake thread has begun (it answered "100 Continue" to its headers) and the main thread has not seen, when SIGTERM comes.
    let req!: ClientRequest;
    const response = new Promise<{ status: number; body: Buffer }>((resolve, reject) => {
      req = request(`${url}/v2/models/sample/infer`, { method: "POST", headers: { "content-type": "application/json", "content-length": body.length, expect: "100-continue" } }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode!, body: Buffer.concat(chunks) }));
      });
      req.on("error", reject);
    });
    req.flushHeaders();
    await new Promise((resolve) => req.once("continue", resolve));
    s.child.kill("SIGTERM");
    await s.logged((l) => l.msg === "draining");
    req.end(body);
    const answer = await response;
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body.toString()).outputs[0].data).toEqual(reference(data, 5));
    expect(await s.exited).toEqual({ code: 0, signal: null });
    expect(s.stderr()).toBe("");
  });

  // spawnSync blocks the worker, so the test timeout cannot stop a child that hangs; this bound does.
  // The CLI takes well under a second alone; the bound is for two busy cores.
  const CHILD_TIMEOUT_MS = 60_000;
  const run = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", timeout: CHILD_TIMEOUT_MS, env: { ...process.env, TRT_NVINFER_PATH: emulator10 } });

  it("exits 2 with the usage for a bad command line, and 2 with one error line for a model file that is missing or not an engine", () => {
    const usage = run(["--port", "8000"]);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toMatch(/^error \[USAGE\]: give at least one --model NAME=PATH, or --model-repository DIR\nusage: trt-server --model NAME=PATH/);

    const missing = join(tmp, "missing.engine");
    const failed = run(["--model", `m=${missing}`, "--port", "0"]);
    expect(failed.status).toBe(2);
    expect(failed.stderr).toMatch(/^error \[ENOENT\]: model "m" \(.*missing\.engine\): /);
    expect(failed.stderr.trim().split("\n")).toHaveLength(1);

    // Not an engine: the hint is the trt command's, not a library function's.
    const text = join(tmp, "notes.txt");
    writeFileSync(text, "not an engine at all\n");
    const notEngine = run(["--model", `m=${text}`, "--port", "0"]);
    expect(notEngine.status).toBe(2);
    expect(notEngine.stderr).toMatch(/^error \[BAD_MAGIC\]: model "m" \(.*notes\.txt\): expected an engine file.*`trt convert RAW\.engine/);
    expect(notEngine.stderr).not.toContain("writeEngineFile");
    expect(notEngine.stderr.trim().split("\n")).toHaveLength(1);

    // A plan cut short is refused as such, not handed to TensorRT.
    const cut = join(tmp, "cut.engine");
    writeFileSync(cut, readFileSync(waitEngine()).subarray(0, 40));
    const truncated = run(["--model", `m=${cut}`, "--port", "0"]);
    expect(truncated.status).toBe(2);
    expect(truncated.stderr).toMatch(/^error \[TRUNCATED\]: model "m" \(.*cut\.engine\): expected the \d+ bytes its header states \(a plan written by the TensorRT emulator\), found a file of 40 bytes: the plan was cut short/);
  });

  it("exits 1 naming the plugin library when a --plugin library does not load", () => {
    const failed = run(["--model", `m=${sampleEngine}`, "--plugin", "/nonexistent/libmy_plugins.so", "--port", "0"]);
    expect(failed.status).toBe(1);
    expect(failed.stderr).toMatch(/^error \[PLUGIN_LIBRARY_NOT_FOUND\]: Plugin library \/nonexistent\/libmy_plugins\.so cannot be loaded: .*\(from --plugin\)/);
  });

  it("prints its usage for --help and its version for --version", () => {
    const help = run(["--help"]);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("POST /v2/models/NAME[/versions/V]/infer");
    const version = run(["--version"]);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });
});
