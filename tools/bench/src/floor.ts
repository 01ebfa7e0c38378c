/**
 * The floor rows: the C++ program in floor/ (built by `pnpm --filter
 * @trt/bench build`) calling enqueueV3, or cudaGraphLaunch of a captured
 * enqueue, in a loop with nothing else around it.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import type { BenchCase } from "./cases.js";
import { shapeArgument } from "./cases.js";
import type { Measurement } from "./measurement.js";
import { unsupported } from "./measurement.js";
import type { Stats } from "./stats.js";

export const FLOOR_BINARY = join(dirname(fileURLToPath(import.meta.url)), "..", "build", "trt-bench-floor");

interface FloorOutput {
  readonly iterations: number;
  readonly host: Stats | null;
  readonly device: Stats | null;
  readonly unsupported?: string;
  /** The emulator's trtEmulatorInfo() object (null for TensorRT). */
  readonly emulator: Readonly<Record<string, unknown>> | null;
}

/** The emulator's description as the floor program saw it (last run), e.g. its matmul path. */
export let lastEmulatorInfo: Readonly<Record<string, unknown>> | null = null;

/** One floor measurement; `mode` "enqueue" or "graph". */
export function measureFloor(nvinferPath: string, planPath: string, c: BenchCase, mode: "enqueue" | "graph", iterations: number): Measurement {
  if (!existsSync(FLOOR_BINARY)) return unsupported(`${FLOOR_BINARY} is not built (pnpm --filter @trt/bench build)`);
  const args = ["--nvinfer", nvinferPath, "--plan", planPath, "--mode", mode, "--iterations", String(iterations), "--warmup", String(Math.max(20, Math.floor(iterations / 10)))];
  for (const set of c.shapeSets) args.push("--shapes", shapeArgument(set));
  const run = spawnSync(FLOOR_BINARY, args, { encoding: "utf8", timeout: 300_000 });
  if (run.status !== 0) throw new Error(`floor benchmark failed (${c.id}, ${mode}): ${run.error?.message ?? run.stderr.trim()}`);
  const out = JSON.parse(run.stdout.trim().split("\n").pop()!) as FloorOutput;
  lastEmulatorInfo = out.emulator;
  if (out.unsupported) return unsupported(out.unsupported);
  return { host: out.host, device: out.device, iterations: out.iterations };
}
