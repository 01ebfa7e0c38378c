/**
 * Pinned host memory from ComputeDevice.allocatePinned (src/memory/pinned-host.ts):
 * sizes refused with a RangeError, the live count, inputs that are views of it
 * run to the same outputs as ordinary arrays on each engine, and the memory is
 * freed once the array is garbage. And memory the caller has, pinned in place
 * (ComputeDevice.pinHostMemory).
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterAll, describe, expect, it } from "vitest";
import type { EngineImplementation } from "../src/engine/contract.js";
import type { DeviceLayer } from "../src/device/index.js";
import { HostDevice } from "../src/device/index.js";
import { PINNED_MAX_BYTES } from "../src/memory/pinned-host.js";
import { ComputeDevice } from "../src/placement/compute-device.js";
import { TensorRTModule } from "../src/module/module.js";
import { withRuntime } from "../src/selection/scope.js";
import { environmentFor, IMPLEMENTATIONS, inputData, plan } from "./support/runtime.js";

setFlagsFromString("--expose-gc");
const collect = runInNewContext("gc") as () => void;

describe.each(IMPLEMENTATIONS)("pinned host memory on the %s engine", (impl: EngineImplementation) => {
  const environment = environmentFor(10);
  const modules: TensorRTModule[] = [];
  const load = () =>
    withRuntime(impl, async () => {
      const m = await TensorRTModule.fromEngine(plan("add_dynamic"), { environment });
      modules.push(m);
      return m;
    });
  afterAll(() => modules.forEach((m) => m.release()));

  it("refuses sizes it cannot lend", async () => {
    const { device } = await load();
    for (const bytes of [0, -1, 1.5, Number.NaN, PINNED_MAX_BYTES + 1]) expect(() => device.allocatePinned(bytes)).toThrow(RangeError);
  });

  it("inputs that are views of pinned memory give the outputs ordinary arrays give, for run and runSync", async () => {
    const m = await load();
    const batch = 16;
    const a = inputData("float32", [batch, 4], 3) as Float32Array;
    const b = inputData("float32", [batch, 4], 4) as Float32Array;
    // Both inputs in one block, the second at an offset, as a request body holds them.
    const block = m.device.allocatePinned(1024);
    const pinnedA = new Float32Array(block.buffer, 0, a.length);
    const pinnedB = new Float32Array(block.buffer, 512, b.length);
    pinnedA.set(a);
    pinnedB.set(b);
    const shape = [batch, 4];
    const want = (await withRuntime(impl, () => m.run({ a: { data: a, shape }, b: { data: b, shape } }))).get("sum").toArraySync();
    const got = (await withRuntime(impl, () => m.run({ a: { data: pinnedA, shape }, b: { data: pinnedB, shape } }))).get("sum").toArraySync();
    const gotSync = withRuntime(impl, () => m.runSync({ a: { data: pinnedA, shape }, b: { data: pinnedB, shape } })).get("sum").toArraySync();
    expect(Array.from(got as Float32Array)).toEqual(Array.from(want as Float32Array));
    expect(Array.from(gotSync as Float32Array)).toEqual(Array.from(want as Float32Array));
    expect(Array.from(want as Float32Array)).toEqual(Array.from(a, (v, i) => Math.fround(v + b[i]!)));
  });

  it("counts live pinned bytes and frees the memory once the array is garbage", async () => {
    const { device } = await load();
    const before = device.pinnedBytes;
    let block: Uint8Array | null = device.allocatePinned(4096);
    block.fill(7);
    expect(device.pinnedBytes).toBe(before + 4096);
    expect(block.byteLength).toBe(4096);
    block = null;
    // Finalizers run after a collection, on a later turn of the event loop: ask until it has happened.
    // (Blocks of earlier tests may be freed on the way, hence at most `before`.)
    for (let i = 0; i < 200 && device.pinnedBytes > before; i++) {
      collect();
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(device.pinnedBytes).toBeLessThanOrEqual(before);
  });
});

describe("pinning memory the caller has (ComputeDevice.pinHostMemory)", () => {
  /** A device whose layer records what it is asked to pin and unpin. */
  function recordingDevice() {
    const calls: Array<{ readonly call: "register" | "unregister"; readonly view: Uint8Array }> = [];
    const layer = Object.assign(Object.create(new HostDevice()) as DeviceLayer, {
      registerHost: (view: Uint8Array) => void calls.push({ call: "register", view }),
      unregisterHost: (view: Uint8Array) => void calls.push({ call: "unregister", view }),
    });
    return { device: new ComputeDevice(layer, 0), calls };
  }

  it("registers the whole memory once, and unregisters that same view once however often unpin is called", () => {
    const { device, calls } = recordingDevice();
    const shared = new SharedArrayBuffer(1 << 16);
    const unpin = device.pinHostMemory(shared);
    expect(calls.map((c) => c.call)).toEqual(["register"]);
    expect(calls[0]!.view.buffer).toBe(shared);
    expect(calls[0]!.view.byteLength).toBe(1 << 16);
    unpin();
    unpin();
    expect(calls.map((c) => c.call)).toEqual(["register", "unregister"]);
    expect(calls[1]!.view).toBe(calls[0]!.view);
  });

  it("refuses empty memory; on the emulator's host device there is nothing to pin", () => {
    const { device, calls } = recordingDevice();
    expect(() => device.pinHostMemory(new SharedArrayBuffer(0))).toThrow(RangeError);
    expect(calls).toEqual([]);
    const host = new ComputeDevice(new HostDevice(), 0);
    const unpin = host.pinHostMemory(new ArrayBuffer(64));
    expect(() => unpin()).not.toThrow();
  });
});
