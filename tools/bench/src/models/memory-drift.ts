/**
 * Memory over many run() calls of a real model (resnet50_fp16 at batch 1):
 * the process's RSS, the device memory in use (cudaMemGetInfo: total - free)
 * and the pool's live bytes, sampled every `every` calls after a warm-up,
 * each after a full garbage collection (run with --expose-gc), so a leak of
 * a few bytes per call shows as drift and a one-off growth as a step.
 */
import type { EngineImplementation, TensorRTEnvironment } from "@trt/runtime";
import type { BuiltModel, ModelCase } from "@trt/real-tensorrt/models";
import { setRuntime, TensorRTModule } from "@trt/runtime";
import { join } from "node:path";
import { deviceInputs } from "./measure-model.js";

export interface MemorySample {
  readonly calls: number;
  readonly rssBytes: number;
  /** Device memory in use by every process on the device, where the device layer can tell. */
  readonly deviceUsedBytes: number | null;
  readonly poolLiveBytes: number;
}

export interface MemoryDrift {
  readonly model: string;
  readonly case: string;
  readonly implementation: EngineImplementation;
  readonly calls: number;
  readonly samples: readonly MemorySample[];
  /** (last - first) / first, in percent. */
  readonly rssDriftPercent: number;
  readonly deviceDriftPercent: number | null;
  /** Whether the garbage collector could be run before each sample (node --expose-gc). */
  readonly collected: boolean;
}

const gc = (globalThis as { gc?: () => void }).gc;

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
