/**
 * Memory over many calls: process RSS and the device pool's live bytes after
 * a warm-up and again after `calls` more runSync() calls. A leak of even a
 * few bytes per call shows as drift over 10^5 calls.
 */
import type { EngineImplementation, TensorRTEnvironment } from "@trt/runtime";

import type { BenchCase } from "./cases.js";
import { makeRig } from "./ours.js";

export interface MemoryRow {
  readonly implementation: EngineImplementation;
  readonly case: string;
  readonly calls: number;
  readonly rssBeforeBytes: number;
  readonly rssAfterBytes: number;
  /** (after - before) / before, in percent. */
  readonly rssDriftPercent: number;
  readonly poolLiveBytesBefore: number;
  readonly poolLiveBytesAfter: number;
  readonly poolLiveAllocationsAfter: number;
}

const collect = () => (globalThis as { gc?: () => void }).gc?.();

export async function measureMemory(
  environment: TensorRTEnvironment,
  plan: Uint8Array,
  c: BenchCase,
  dtypes: Readonly<Record<string, string>>,
  implementation: EngineImplementation,
  calls: number,
): Promise<MemoryRow> {
  const rig = await makeRig(environment, plan, c, dtypes, implementation);
  try {
    const input = rig.inputs[0]!;
    const pool = rig.module.device.pool;
    const burst = (n: number) => {
      for (let i = 0; i < n; i++) rig.module.runSync(input).dispose();
    };
    burst(Math.max(1000, Math.floor(calls / 10)));
    collect();
    const rssBefore = process.memoryUsage.rss();
    const poolBefore = pool.stats().liveBytes;
    burst(calls);
    collect();
    const rssAfter = process.memoryUsage.rss();
    const poolAfter = pool.stats();
    return {
      implementation,
      case: c.id,
      calls,
      rssBeforeBytes: rssBefore,
      rssAfterBytes: rssAfter,
      rssDriftPercent: ((rssAfter - rssBefore) / rssBefore) * 100,
      poolLiveBytesBefore: poolBefore,
      poolLiveBytesAfter: poolAfter.liveBytes,
      poolLiveAllocationsAfter: poolAfter.liveAllocations,
    };
  } finally {
    rig.release();
  }
}
