/**
 * trt-server started from the app's node_modules/.bin as a user would, its JSON
 * log lines on stdout read as they come, and a wait for one of them.
 */
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";

export interface LogLine {
  readonly msg: string;
  readonly [key: string]: unknown;
}

export interface Served {
  readonly child: ChildProcess;
  /** The first log line matching `test`; rejects when the process exits first. */
  line(test: (line: LogLine) => boolean): Promise<LogLine>;
  readonly exited: Promise<number | null>;
}

export function startServer(bin: string, args: readonly string[], env: NodeJS.ProcessEnv): Served {
  const child = spawn(bin, args, { env });
  const lines: LogLine[] = [];
  const waiting: Array<() => void> = [];
  let stderr = "";
  let pending = "";
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  child.stdout.on("data", (c: Buffer) => {
    const parts = (pending + c.toString()).split("\n");
    pending = parts.pop()!;
    for (const part of parts) if (part.trim()) lines.push(JSON.parse(part) as LogLine);
    for (const wake of waiting.splice(0)) wake();
  });
  const exited = new Promise<number | null>((resolve) =>
    child.on("close", (code) => {
      for (const wake of waiting.splice(0)) wake();
      resolve(code);
    }),
  );
  const line = async (test: (line: LogLine) => boolean): Promise<LogLine> => {
    for (;;) {
      const hit = lines.find(test);
      if (hit) return hit;
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`trt-server exited (${child.exitCode ?? child.signalCode}): ${stderr}`);
      await new Promise<void>((resolve) => waiting.push(resolve));
    }
  };
  return { child, line, exited };
}
