// The server as a process on 127.0.0.1 (ephemeral port) over the emulator.
// Requests are made in flight deterministically: each sends its headers and
// half its body, so the server has received it (fastify logs "incoming
// request") but cannot answer yet. Then SIGTERM: the server must stop taking
// connections, answer every one of those requests once its body completes,
// release its module and exit 0.
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { request } from "node:http";
import type { ClientRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildPlan, emulatorLibraryPath } from "@trt/emulator";
import { createSerializedEngine, writeEngineFileSync } from "@trt/sdk";
import { afterAll, afterEach, describe, expect, it } from "vitest";

const tmp = mkdtempSync(join(tmpdir(), "trt-http-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const server = fileURLToPath(new URL("../server.mjs", import.meta.url));

// A test that fails or times out leaves no server running behind it.
const started = new Set<ChildProcess>();
afterEach(() => {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  started.clear();
});

/** y = x after a 5 ms busy-wait (the engine does some work). */
function engineFile(): string {
  const file = join(tmp, "wait.trtengine");
  const plan = buildPlan({
    name: "wait",
    inputs: [{ name: "x", dtype: "float32", shape: [4] }],
    layers: [{ op: "busywait", name: "wait", input: "x", output: "y", microseconds: 5_000 }],
    outputs: ["y"],
  });
  writeEngineFileSync(file, createSerializedEngine({ name: "wait", engine: plan }));
  return file;
}

interface LogLine {
  msg: string;
  [key: string]: unknown;
}

/**
 * The server process, its parsed JSON log lines, and a way to wait for one. Its drain timeout is
 * past the test's own (vitest.config.ts): a drain on a busy machine is slow, not failed.
 */
function start(args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, TRT_NVINFER_PATH: emulatorLibraryPath(10), LOG_LEVEL: "info" };
  delete env.TRT_RUNTIME;
  const child = spawn(process.execPath, [server, "--drain-timeout", "300000", ...args], { env });
  started.add(child);
  const logs: LogLine[] = [];
  const wake: Array<() => void> = [];
  let stderr = "";
  let pending = "";
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  child.stdout.on("data", (c: Buffer) => {
    const lines = (pending + c.toString()).split("\n");
    pending = lines.pop()!;
    for (const line of lines) if (line.trim()) logs.push(JSON.parse(line) as LogLine);
    for (const w of wake.splice(0)) w();
  });
  // "close", not "exit": it comes once stdout has ended, so every log line has been read.
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.on("close", (code, signal) => {
      for (const w of wake.splice(0)) w();
      resolve({ code, signal });
    }),
  );
  /** The log lines matching `test`, once there are at least `n`. */
  const logged = async (test: (l: LogLine) => boolean, n = 1): Promise<LogLine[]> => {
    for (;;) {
      const hits = logs.filter(test);
      if (hits.length >= n) return hits;
      if (child.exitCode !== null) throw new Error(`server exited: ${stderr}`);
      await new Promise<void>((resolve) => wake.push(resolve));
    }
  };
  /**
   * The shutdown's release line, when nothing went wrong after it. Lines may still follow it (fastify
   * writes "request completed" once a response has gone out, which can be a tick after close() saw
   * the connection end), but no warning or error: pino levels 40 and up.
   */
  const released = (): LogLine | undefined => {
    const i = logs.findIndex((l) => l.msg === "released the module; exiting");
    return i >= 0 && logs.slice(i + 1).every((l) => typeof l.level === "number" && l.level < 40) ? logs[i] : undefined;
  };
  return { child, logs, logged, exited, released, stderr: () => stderr };
}

/** POST /infer with the body sent in two parts; `finish()` sends the second. */
function slowPost(url: string, x: number[]): { finish: () => void; response: Promise<{ status: number; body: string }> } {
  const body = Buffer.from(JSON.stringify({ inputs: { x: { data: x, shape: [4] } } }));
  let req!: ClientRequest;
  const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req = request(`${url}/infer`, { method: "POST", headers: { "content-type": "application/json", "content-length": body.length } }, (res) => {
      let text = "";
      res.on("data", (c: Buffer) => (text += c.toString()));
      res.on("end", () => resolve({ status: res.statusCode!, body: text }));
    });
    req.on("error", reject);
  });
  const half = body.length >> 1;
  req.write(body.subarray(0, half));
  return { finish: () => req.end(body.subarray(half)), response };
}

describe("examples/http-server", () => {
  it("on SIGTERM answers every request in flight, refuses new connections, releases its module and exits 0", async () => {
    const s = start(["--engine", engineFile(), "--port", "0", "--max-concurrency", "2", "--max-queue", "16"]);
    const [listening] = await s.logged((l) => l.msg.startsWith("Server listening at http://127.0.0.1:"));
    const url = listening!.msg.slice("Server listening at ".length);
    const health = await fetch(`${url}/healthz`, { headers: { connection: "close" } });
    // One module, with room for 2 runs at once and 16 waiting; no context made beyond the first yet.
    expect(await health.json()).toEqual({
      status: "ok",
      requests: 0,
      admission: { admitted: 0, capacity: 18 },
      concurrency: { limit: 2, lanes: 1, inFlight: 0, peakInFlight: 0, queued: 0 },
    });

    const N = 6;
    const xs = Array.from({ length: N }, (_, i) => [i, i + 0.5, -i - 1, 2 * i]);
    const posts = xs.map((x) => slowPost(url, x));
    await s.logged((l) => l.msg === "incoming request" && (l.req as { url?: string }).url === "/infer", N);

    s.child.kill("SIGTERM");
    const [draining] = await s.logged((l) => l.msg === "draining");
    expect(draining).toMatchObject({ signal: "SIGTERM", inFlight: N });
    // The listener is closed: a new connection is refused while the old requests are still open.
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();

    for (const p of posts) p.finish();
    const answers = await Promise.all(posts.map((p) => p.response));
    answers.forEach((a, i) => {
      expect(a.status).toBe(200);
      expect((JSON.parse(a.body) as { outputs: { y: { data: number[] } } }).outputs.y.data).toEqual(xs[i]);
    });
    expect(await s.exited).toEqual({ code: 0, signal: null });
    expect(s.stderr()).toBe("");
    // Released after the last run, with nothing running or waiting.
    expect(s.released()).toMatchObject({ runs: N, concurrency: { limit: 2, inFlight: 0, queued: 0 } });
  });

  it("answers a burst of concurrent requests, all on the emulator", async () => {
    const s = start(["--engine", engineFile(), "--port", "0", "--max-concurrency", "2", "--max-queue", "64"]);
    const [listening] = await s.logged((l) => l.msg.startsWith("Server listening at "));
    const url = listening!.msg.slice("Server listening at ".length);
    const answers = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => {
        const res = await fetch(`${url}/infer`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ inputs: { x: { data: [i, 1, 2, 3], shape: [4] } } }) });
        return { status: res.status, y: ((await res.json()) as { outputs: { y: { data: number[] } } }).outputs.y.data };
      }),
    );
    answers.forEach((a, i) => expect(a).toEqual({ status: 200, y: [i, 1, 2, 3] }));
    s.child.kill("SIGTERM");
    expect(await s.exited).toEqual({ code: 0, signal: null });
    expect(s.released(), JSON.stringify(s.logs.slice(-6).map((l) => l.msg))).toMatchObject({ runs: 20 });
  });
});
