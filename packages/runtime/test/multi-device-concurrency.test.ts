/**
 * Two modules on two devices, run concurrently from one JS thread, on each
 * engine implementation, over the host stand-in as two devices. Their runs
 * interleave at every await, so each launch must find its own device current
 * although the other module keeps switching it: checked on every execute()
 * call, with safe mode off (the default, no CUDA query per run) and on.
 */
import { afterAll, describe, expect, it } from "vitest";
import type { EngineImplementation } from "../src/engine/contract.js";
import { TensorRTModule } from "../src/module/module.js";
import { withMultiDeviceSafeMode } from "../src/placement/safe-mode.js";
import { withRuntime } from "../src/selection/scope.js";
import { hostModeSkip, multiDeviceEnvironment, recordLaunches, standIn } from "./support/multi-device.js";
import { IMPLEMENTATIONS, plan, values } from "./support/runtime.js";

const RUNS = 24;

describe.skipIf(hostModeSkip() !== null).each(IMPLEMENTATIONS)("two devices at once on the %s engine", (impl: EngineImplementation) => {
  const environment = multiDeviceEnvironment(2);
  const layer = standIn(environment);
  const modules: TensorRTModule[] = [];
  afterAll(() => modules.forEach((m) => m.release()));
  const make = async (name: string, device: number) => {
    const m = await withRuntime(impl, () => TensorRTModule.fromEngine(plan(name), { environment, device }));
    modules.push(m);
    return m;
  };

  it.each([false, true])("safe mode %s: correct results, every launch on its own device", async (safe) => {
    const identity = await make("identity_f32", 0);
    const add = await make("add_dynamic", 1);
    const spy = recordLaunches(layer);
    try {
      // Started inside the scope, so the scope's safe mode is what each run sees.
      const runAll = () => Promise.all(Array.from({ length: RUNS }, async (_, i) => {
        // Alternate which module starts first, so the device changes hands at every step.
        if (i % 2 === 0) {
          const x = Float32Array.from({ length: 6 }, (_, k) => i * 10 + k);
          const r = await withRuntime(impl, () => identity.run({ x: { data: x, shape: [2, 3] } }));
          expect(r.get("y").device).toBe("host:0");
          expect(values(await r.get("y").toArray())).toEqual(values(x));
          r.dispose();
        } else {
          const batch = 1 + (i % 3);
          const a = Float32Array.from({ length: batch * 4 }, (_, k) => i + k);
          const b = Float32Array.from({ length: batch * 4 }, (_, k) => 100 * k);
          const r = await withRuntime(impl, () => add.run({ a: { data: a, shape: [batch, 4] }, b: { data: b, shape: [batch, 4] } }));
          expect(r.get("sum").device).toBe("host:1");
          expect(values(await r.get("sum").toArray())).toEqual(Array.from(a, (v, k) => v + b[k]!));
          r.dispose();
        }
      }));
      await withMultiDeviceSafeMode(safe, runAll);
    } finally {
      spy.stop();
    }
    expect(spy.launches).toHaveLength(RUNS);
    expect(spy.launches.filter((l) => l.streamDevice === 0)).toHaveLength(RUNS / 2);
    for (const launch of spy.launches) expect(launch.current).toBe(launch.streamDevice);
    // Runs overlapped: each module used more than one lane (context + stream) at once.
    expect(identity.stats.concurrency.peakInFlight).toBeGreaterThan(1);
    expect(add.stats.concurrency.peakInFlight).toBeGreaterThan(1);
  });
});
