/**
 * What multi-device safe mode changes in a run, over the host stand-in as two
 * devices, on each engine implementation. Something outside the runtime (here
 * the test, calling the device layer directly) makes device 0 current while
 * a module lives on device 1:
 * - safe mode on: the run asks which device is current, switches to device 1
 *   before enqueueing (warning once), and leaves device 1 current;
 * - safe mode off: the run never asks, so it does not notice, and enqueues
 *   with device 0 current: the cost it saves, and the hazard it documents.
 */
import { afterAll, describe, expect, it } from "vitest";
import type { EngineImplementation } from "../src/engine/contract.js";
import { TensorRTModule } from "../src/module/module.js";
import { DEVICE_SWITCH_WARNING } from "../src/placement/compute-device.js";
import { withMultiDeviceSafeMode } from "../src/placement/safe-mode.js";
import { withRuntime } from "../src/selection/scope.js";
import { hostModeSkip, multiDeviceEnvironment, recordLaunches, standIn } from "./support/multi-device.js";
import { IMPLEMENTATIONS, plan, values } from "./support/runtime.js";
import { codes, collectWarnings } from "./support/warnings.js";

const inputs = { x: { data: Float32Array.from([1, 2, 3, 4, 5, 6]), shape: [2, 3] } };

describe.skipIf(hostModeSkip() !== null).each(IMPLEMENTATIONS)("multi-device safe mode on the %s engine", (impl: EngineImplementation) => {
  const warnings = collectWarnings();
  const environment = multiDeviceEnvironment(2);
  const layer = standIn(environment);
  const modules: TensorRTModule[] = [];
  afterAll(() => modules.forEach((m) => m.release()));
  const onDevice1 = async () => {
    const m = await withRuntime(impl, () => TensorRTModule.fromEngine(plan("identity_f32"), { environment, device: 1 }));
    modules.push(m);
    return m;
  };
  /** Runs `m` once with safe mode `on`; what the device layer saw during the run. */
  const observe = async (m: TensorRTModule, on: boolean) => {
    const before = layer.calls;
    const spy = recordLaunches(layer);
    try {
      const result = await withMultiDeviceSafeMode(on, () => withRuntime(impl, () => m.run(inputs)));
      const y = values(await result.get("y").toArray());
      result.dispose();
      const after = layer.calls;
      return { y, launches: spy.launches, gets: after.getDevice - before.getDevice, sets: after.setDevice - before.setDevice };
    } finally {
      spy.stop();
    }
  };

  it("on: switches to the module's device before enqueueing, warns once, and leaves it current", async () => {
    const m = await onDevice1();
    for (let i = 0; i < 2; i++) {
      layer.setDevice(0); // a change the runtime did not make
      const seen = await observe(m, true);
      expect(seen.y).toEqual([1, 2, 3, 4, 5, 6]);
      expect(seen.gets).toBeGreaterThanOrEqual(1);
      expect(seen.launches).toEqual([{ current: 1, streamDevice: 1 }]);
      expect(layer.peekDevice()).toBe(1);
    }
    expect(codes(warnings)).toEqual([DEVICE_SWITCH_WARNING]);
    expect(warnings[0]!.message).toMatch(/runs on host:1, but host:0 was current/);
  });

  it("on, with the right device already current: asks, switches nothing, warns nothing", async () => {
    const m = await onDevice1();
    await observe(m, true);
    warnings.length = 0;
    const seen = await observe(m, true);
    expect(seen.gets).toBe(1);
    expect(seen.sets).toBe(0);
    expect(warnings).toEqual([]);
  });

  it("off: never asks which device is current, so an outside change goes unnoticed", async () => {
    const m = await onDevice1();
    await observe(m, false);
    layer.setDevice(0);
    const seen = await observe(m, false);
    expect(seen.gets).toBe(0);
    expect(seen.sets).toBe(0);
    expect(seen.launches).toEqual([{ current: 0, streamDevice: 1 }]);
    expect(layer.peekDevice()).toBe(0);
    expect(warnings).toEqual([]);
  });

  it("off: still switches between devices the runtime itself made current (no CUDA query needed)", async () => {
    const m1 = await onDevice1();
    const m0 = await withRuntime(impl, () => TensorRTModule.fromEngine(plan("identity_f32"), { environment, device: 0 }));
    modules.push(m0);
    const first = await observe(m0, false);
    const second = await observe(m1, false);
    expect(first.launches).toEqual([{ current: 0, streamDevice: 0 }]);
    expect(second.launches).toEqual([{ current: 1, streamDevice: 1 }]);
    expect(first.gets + second.gets).toBe(0);
  });
});
