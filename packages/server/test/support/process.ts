/**
 * trt-server as a process (the built bin, as a user starts it) on an
 * ephemeral port of 127.0.0.1, over the emulator: its JSON log lines, a wait
 * for one, its URL once listening, its exit. Every process started here that
 * is still running when its test file ends is killed, so a failing test
 * leaves none behind (after the file, not after each test: a server started
 * in a beforeAll serves every test of its file).
 */
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { join } from "node:path";
import { afterAll } from "vitest";
import { emulator10, pkg } from "./fixtures.js";

export const bin = join(pkg, "bin", "trt-server.js");

const started = new Set<ChildProcess>();
afterAll(() => {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  started.clear();
});

export interface LogLine {
  msg: string;
  level: number;
  [key: string]: unknown;
}

/** A started server. */
export interface ServerProcess {
  readonly child: ChildProcess;
  readonly logs: LogLine[];
  /** The log lines matching `test`, once there are at least `n`; rejects if the process exits first. */
  logged(test: (line: LogLine) => boolean, n?: number): Promise<LogLine[]>;
  /** The base URL, once the server listens. */
  url(): Promise<string>;
  /** "127.0.0.1:PORT" of the gRPC listener, once it listens. */
  grpcAddress(): Promise<string>;
  /** Exit code and signal, once stdout has ended (so every log line has been read). */
  readonly exited: Promise<{ code: number | null; signal: string | null }>;
  stderr(): string;
}

/**
 * Starts `trt-server args` with the emulator as TensorRT (the drain timeout is the caller's to set).
 * Without a --grpc-port in `args` the gRPC listener is off, so tests running side by side do not
 * race for its default port.
 */
export function startServer(args: readonly string[]): ServerProcess {
  const env: NodeJS.ProcessEnv = { ...process.env, TRT_NVINFER_PATH: emulator10, LOG_LEVEL: "info" };
  delete env.TRT_RUNTIME;
  const grpc = args.some((a) => a === "--grpc-port" || a.startsWith("--grpc-port=")) ? [] : ["--grpc-port", "off"];
  const child = spawn(process.execPath, [bin, ...args, ...grpc], { env });
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
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.on("close", (code, signal) => {
      for (const w of wake.splice(0)) w();
      resolve({ code, signal });
    }),
  );
  const logged = async (test: (line: LogLine) => boolean, n = 1): Promise<LogLine[]> => {
    for (;;) {
      const hits = logs.filter(test);
      if (hits.length >= n) return hits;
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`trt-server exited (${child.exitCode ?? child.signalCode}): ${stderr}`);
      await new Promise<void>((resolve) => wake.push(resolve));
    }
  };
  const url = async (): Promise<string> => {
    const [line] = await logged((l) => l.msg.startsWith("Server listening at http://127.0.0.1:"));
    return line!.msg.slice("Server listening at ".length);
  };
  const grpcAddress = async (): Promise<string> => {
    const [line] = await logged((l) => l.msg.startsWith("gRPC listening at "));
    return line!.msg.slice("gRPC listening at ".length);
  };
  return { child, logs, logged, url, grpcAddress, exited, stderr: () => stderr };
}
