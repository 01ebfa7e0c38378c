/**
 * Placing a module on a chosen device, end to end through TensorRTModule, on
 * each engine implementation, over the host stand-in pretending to be two
 * GPUs of different compute capability: the device option, automatic
 * placement by the engine tuple's recorded device, and the errors for a
 * device that does not exist or cannot run the engine.
 */
import { afterAll, describe, expect, it } from "vitest";
import type { SerializedEngine } from "@trt/format";
import type { EngineImplementation } from "../src/engine/contract.js";
import { RuntimeUnavailableError } from "../src/errors/index.js";
import { TensorRTModule } from "../src/module/module.js";
import { withRuntime } from "../src/selection/scope.js";
import { hostModeSkip, multiDeviceEnvironment, standIn } from "./support/multi-device.js";
import { IMPLEMENTATIONS, plan, values } from "./support/runtime.js";

const AMPERE = { name: "Stand-in A100", major: 8, minor: 0, totalMemoryBytes: 1 << 30 };
const HOPPER = { name: "Stand-in H100", major: 9, minor: 0, totalMemoryBytes: 1 << 30 };
const x = Float32Array.from([1, 2, 3, 4, 5, 6]);

describe.skipIf(hostModeSkip() !== null).each(IMPLEMENTATIONS)("placement on the %s engine", (impl: EngineImplementation) => {
  const environment = multiDeviceEnvironment([AMPERE, HOPPER]);
  const modules: TensorRTModule[] = [];
  const track = (m: TensorRTModule) => (modules.push(m), m);
  const fromEngine = (options: Parameters<typeof TensorRTModule.fromEngine>[1] = {}) =>
    withRuntime(impl, async () => track(await TensorRTModule.fromEngine(plan("identity_f32"), { environment, ...options })));
  /** identity_f32 as a tuple that says it was built on `gpu` (ordinal `gpuId`). */
  const builtOn = async (gpuId: number, gpu: typeof AMPERE): Promise<SerializedEngine> => {
    const base = await fromEngine();
    return { ...base.toSerializedEngine(), device: { gpuId, smMajor: gpu.major, smMinor: gpu.minor, deviceType: 0, deviceName: gpu.name } };
  };
  afterAll(() => modules.forEach((m) => m.release()));

  it('runs on the device the option names ("host:1" or 1), with outputs and memory there', async () => {
    for (const device of ["host:1", 1] as const) {
      const m = await fromEngine({ device });
      expect(m.device.name).toBe("host:1");
      const before = environment.listDevices().devices[1]!.freeMemoryBytes!;
      const result = await withRuntime(impl, () => m.run({ x: { data: x, shape: [2, 3] } }));
      const y = result.get("y");
      expect(y.device).toBe("host:1");
      expect(values(await y.toArray())).toEqual(values(x));
      // The output's memory came from device 1's pool, not device 0's.
      expect(environment.listDevices().devices[1]!.freeMemoryBytes!).toBeLessThan(before);
      expect(m.device.pool.stats().liveAllocations).toBeGreaterThan(0);
      result.dispose();
    }
  });

  it("without the option, goes to the device the tuple records when it matches", async () => {
    const m = await withRuntime(impl, async () => track(await TensorRTModule.fromTuple(await builtOn(1, HOPPER), { environment })));
    expect(m.device.name).toBe("host:1");
  });

  it("else to a device with the recorded compute capability", async () => {
    // Recorded as an H100 at ordinal 0, but ordinal 0 is Ampere here: the Hopper device is the match.
    const m = await withRuntime(impl, async () => track(await TensorRTModule.fromTuple(await builtOn(0, HOPPER), { environment })));
    expect(m.device.name).toBe("host:1");
  });

  it("refuses a device that does not exist, saying which exist", async () => {
    const error = await fromEngine({ device: "host:5" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RuntimeUnavailableError);
    expect((error as Error).message).toMatch(/"host:5", which does not exist/);
    expect((error as Error).message).toMatch(/host:0 "Stand-in A100", host:1 "Stand-in H100"/);
  });

  it("refuses a device whose compute capability does not match the engine's", async () => {
    const tuple = await builtOn(1, HOPPER);
    const error = await withRuntime(impl, () => TensorRTModule.fromTuple(tuple, { environment, device: 0 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RuntimeUnavailableError);
    expect((error as Error).message).toMatch(/SM 9\.0/);
    expect((error as Error).message).toMatch(/host:0 "Stand-in A100" \(SM 8\.0\)/);
  });

  it("refuses an engine no device can run, listing what the machine has", async () => {
    const tuple = { ...(await builtOn(0, HOPPER)), device: { gpuId: 0, smMajor: 12, smMinor: 0, deviceType: 0, deviceName: "RTX 5090" } };
    const error = await withRuntime(impl, () => TensorRTModule.fromTuple(tuple, { environment })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RuntimeUnavailableError);
    expect((error as Error).message).toMatch(/SM 12\.0.*host:0 "Stand-in A100" \(SM 8\.0\), host:1 "Stand-in H100" \(SM 9\.0\)/);
  });

  it("records the device it ran on when saved", async () => {
    const m = await fromEngine({ device: 1 });
    expect(standIn(environment).deviceCount()).toBe(2);
    expect(m.toSerializedEngine().device).toMatchObject({ gpuId: 1, smMajor: 9, smMinor: 0, deviceName: "Stand-in H100" });
  });
});
