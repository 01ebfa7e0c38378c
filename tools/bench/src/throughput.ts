/**
 * Throughput against requests in flight: N callers each awaiting
 * module.run() in a loop, on a module allowed N runs at once (N execution
 * contexts and streams, see the runtime's lanes).
 */
import type { EngineImplementation, TensorRTEnvironment } from "@trt/runtime";

import type { BenchCase } from "./cases.js";
import { makeRig } from "./ours.js";

export interface ThroughputRow {
  readonly implementation: EngineImplementation;
  readonly case: string;
  readonly inFlight: number;
  readonly requests: number;
  readonly requestsPerSecond: number;
  /** Mean latency a caller saw, in microseconds. */
  readonly meanLatencyUs: number;
  /** Most runs the module had in flight at once (from its stats). */
  readonly peakInFlight: number;
}

export async function measureThroughput(
  environment: TensorRTEnvironment,
  plan: Uint8Array,
  c: BenchCase,
  dtypes: Readonly<Record<string, string>>,
  implementation: EngineImplementation,
  inFlight: number,
  requests: number,
): Promise<ThroughputRow> {
  const rig = await makeRig(environment, plan, c, dtypes, implementation, { maxConcurrency: inFlight });
  try {
    const input = rig.inputs[0]!;
    const warm = Array.from({ length: inFlight }, () => rig.module.run(input).then((r) => r.dispose()));
    await Promise.all(warm);
    let issued = 0;
    let latency = 0;
    const worker = async () => {
      while (issued < requests) {
        issued++;
        const start = process.hrtime.bigint();
        (await rig.module.run(input)).dispose();
        latency += Number(process.hrtime.bigint() - start) / 1000;
      }
    };
    const start = process.hrtime.bigint();
    await Promise.all(Array.from({ length: inFlight }, worker));
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    return {
      implementation,
      case: c.id,
      inFlight,
      requests: issued,
      requestsPerSecond: issued / seconds,
      meanLatencyUs: latency / issued,
      peakInFlight: rig.module.stats.concurrency.peakInFlight,
    };
  } finally {
    rig.release();
  }
}
