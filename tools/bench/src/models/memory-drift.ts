/**
 * Memory over many run() calls of a real model (resnet50_fp16 at batch 1):
 * the process's RSS, the device memory in use (cudaMemGetInfo: total - free)
 * and the pool's live bytes, sampled every `every` calls after a warm-up,
 * each after a full garbage collection (run with --expose-gc), so a leak of
 * a few bytes per call shows as drift and a one-off growth as a step.
 *
 * RSS also holds V8's young generation, which V8 grows while a program
 * allocates briskly (its semi-spaces from 1 MiB up to 16 MiB each) and keeps:
 * that was the whole "drift" first seen here. On the host-mode emulator over
 * 10^5 calls of the twin ResNet-50, native RSS rose 15.9% in two steps within
 * the first 20000 calls and stayed flat after; with the young generation
 * pinned (node --max-semi-space-size=1, or --min-semi-space-size=16) the
 * same run drifted 1.4% and 0.7%, and MALLOC_ARENA_MAX=1 changed nothing
 * (16.1%). So each sample also records the young generation's size, and the
 * drift that decides "flat" is that of RSS less it.
 */
import type { EngineImplementation, TensorRTEnvironment } from "@trt/runtime";
import type { BuiltModel, ModelCase } from "@trt/real-tensorrt/models";
import { setRuntime, TensorRTModule } from "@trt/runtime";
import { join } from "node:path";
import { getHeapSpaceStatistics } from "node:v8";
import { deviceInputs } from "./measure-model.js";

export interface MemorySample {
  readonly calls: number;
  readonly rssBytes: number;
  /** Device memory in use by every process on the device, where the device layer can tell. */
  readonly deviceUsedBytes: number | null;
  readonly poolLiveBytes: number;
  /** V8's young generation (new space and its large objects), committed: part of rssBytes. */
  readonly youngGenerationBytes: number;
}

export interface MemoryDrift {
  readonly model: string;
  readonly case: string;
  readonly implementation: EngineImplementation;
  readonly calls: number;
  readonly samples: readonly MemorySample[];
  /** (last - first) / first, in percent. */
  readonly rssDriftPercent: number;
  /** The same for RSS less V8's young generation: what a leak would move. Absent in runs saved before it was recorded. */
  readonly rssOutsideYoungDriftPercent?: number;
  readonly deviceDriftPercent: number | null;
  /** Whether the garbage collector could be run before each sample (node --expose-gc). */
  readonly collected: boolean;
}

const gc = (globalThis as { gc?: () => void }).gc;

/** Bytes V8 has committed to its young generation now. */
export function youngGenerationBytes(): number {
  return getHeapSpaceStatistics()
    .filter((s) => s.space_name === "new_space" || s.space_name === "new_large_object_space")
    .reduce((sum, s) => sum + s.space_size, 0);
}

/** Drift of the last sample over the first, in percent (0 when the first is 0). */
export function driftPercent(first: number, last: number): number {
  return first === 0 ? 0 : ((last - first) / first) * 100;
}

export async function measureMemoryDrift(
  environment: TensorRTEnvironment,
  directory: string,
  model: BuiltModel,
  c: ModelCase,
  implementation: EngineImplementation,
  calls: number,
  every: number,
): Promise<MemoryDrift> {
  setRuntime(implementation);
  const module = await TensorRTModule.load(join(directory, model.engine), { environment, maxConcurrency: 1 });
  try {
    await module.materialize(implementation);
    const { inputs, dispose } = deviceInputs(module, directory, c);
    const options = { profile: c.profile };
    const layer = environment.deviceLayer;
    const sample = (done: number): MemorySample => {
      gc?.();
      const info = layer.memoryInfo?.();
      return {
        calls: done,
        rssBytes: process.memoryUsage.rss(),
        deviceUsedBytes: info ? info.totalBytes - info.freeBytes : null,
        poolLiveBytes: module.device.pool.stats().liveBytes,
        youngGenerationBytes: youngGenerationBytes(),
      };
    };
    try {
      for (let i = 0; i < every; i++) (await module.run(inputs, options)).dispose();
      const samples = [sample(0)];
      for (let done = 0; done < calls; ) {
        const until = Math.min(calls, done + every);
        for (; done < until; done++) (await module.run(inputs, options)).dispose();
        samples.push(sample(done));
      }
      const first = samples[0]!;
      const last = samples.at(-1)!;
      return {
        model: model.name,
        case: c.name,
        implementation,
        calls,
        samples,
        rssDriftPercent: driftPercent(first.rssBytes, last.rssBytes),
        rssOutsideYoungDriftPercent: driftPercent(first.rssBytes - first.youngGenerationBytes, last.rssBytes - last.youngGenerationBytes),
        deviceDriftPercent: first.deviceUsedBytes === null || last.deviceUsedBytes === null ? null : driftPercent(first.deviceUsedBytes, last.deviceUsedBytes),
        collected: gc !== undefined,
      };
    } finally {
      dispose();
    }
  } finally {
    module.release();
  }
}
