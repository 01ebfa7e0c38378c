// The benchmarks' floor server (scripts/sink-server.mjs): it must answer every
// request with the asked size, spread connections over its processes when it
// has several (else the floor is one event loop's), and exit 0 on SIGTERM
// even while clients hold keep-alive connections.
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { Agent, request } from "node:http";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";

const script = fileURLToPath(new URL("../scripts/sink-server.mjs", import.meta.url));
const started: ChildProcess[] = [];
afterEach(() => {
  for (const child of started.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
});

function startSink(args: string[]): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [script, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  started.push(child);
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening (\d+)\n/.exec(out);
      if (match) resolve({ child, port: Number(match[1]) });
    });
    child.once("exit", (code) => reject(new Error(`sink exited ${code} before listening`)));
  });
}

function post(agent: Agent, port: number, body: Buffer): Promise<{ status: number; pid: string; bytes: number }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, method: "POST", path: "/", agent, headers: { "content-length": body.length } }, (res) => {
      let bytes = 0;
      res.on("data", (c: Buffer) => (bytes += c.length));
      res.on("end", () => resolve({ status: res.statusCode!, pid: String(res.headers["x-sink-pid"]), bytes }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

const exited = (child: ChildProcess) => new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));

describe("sink-server.mjs", () => {
  it("answers with the asked size from every process, spreading connections, and exits 0 on SIGTERM with connections open", { timeout: 60_000 }, async () => {
    const { child, port } = await startSink(["1234", "2"]);
    const agent = new Agent({ keepAlive: true, maxSockets: 2 });
    const body = Buffer.alloc(300_000, 7);
    const answers = [];
    for (let round = 0; round < 3; round++) answers.push(...(await Promise.all([post(agent, port, body), post(agent, port, body)])));
    expect(answers.every((a) => a.status === 200 && a.bytes === 1234)).toBe(true);
    // Two keep-alive connections, handed out in turn: each process answers one of them.
    expect(new Set(answers.map((a) => a.pid)).size).toBe(2);
    const code = exited(child);
    child.kill("SIGTERM");
    expect(await code).toBe(0);
    agent.destroy();
  });

  it("one process by default", { timeout: 60_000 }, async () => {
    const { child, port } = await startSink(["10"]);
    const agent = new Agent({ keepAlive: true, maxSockets: 2 });
    const answers = await Promise.all([post(agent, port, Buffer.alloc(10)), post(agent, port, Buffer.alloc(10))]);
    expect(answers.map((a) => a.pid)).toEqual([String(child.pid), String(child.pid)]);
    const code = exited(child);
    child.kill("SIGTERM");
    expect(await code).toBe(0);
    agent.destroy();
  });

  it("exits 2 with its usage on a bad argument", { timeout: 60_000 }, async () => {
    const child = spawn(process.execPath, [script, "10", "0"], { stdio: ["ignore", "pipe", "pipe"] });
    let err = "";
    child.stderr!.on("data", (c: Buffer) => (err += c.toString()));
    expect(await exited(child)).toBe(2);
    expect(err).toContain("usage: sink-server.mjs");
  });
});
