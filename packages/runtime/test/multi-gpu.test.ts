/**
 * Two modules on two real GPUs, run concurrently, on each engine
 * implementation. Skipped, with the reason printed, unless CUDA reports at
 * least two devices (the emulator then runs in CUDA mode, on the GPUs).
 */
import { emulatorLibraryPath } from "@trt/emulator";
import { afterAll, describe, expect, it } from "vitest";
import { CudaDevice, cudaUnavailableReason } from "../src/device/index.js";
import type { EngineImplementation } from "../src/engine/contract.js";
import { TensorRTEnvironment } from "../src/environment/environment.js";
import { TensorRTModule } from "../src/module/module.js";
import { withRuntime } from "../src/selection/scope.js";
import { IMPLEMENTATIONS, plan, values } from "./support/runtime.js";

function twoGpusSkip(): string | null {
  const noCuda = cudaUnavailableReason();
  const count = noCuda === null ? new CudaDevice().deviceCount() : 0;
  if (count >= 2) return null;
  const reason = noCuda ?? `CUDA reports ${count} device${count === 1 ? "" : "s"}`;
  console.log(`[multi-gpu test] skipped: needs 2 or more CUDA devices; ${reason}`);
  return reason;
}

const RUNS = 32;

describe.skipIf(twoGpusSkip() !== null).each(IMPLEMENTATIONS)("two GPUs at once on the %s engine", (impl: EngineImplementation) => {
  const environment = new TensorRTEnvironment({ nvinferPath: emulatorLibraryPath(10), allowEngineHostCode: true });
  const modules: TensorRTModule[] = [];
  afterAll(() => modules.forEach((m) => m.release()));

  it("lists both GPUs as able to run engines", () => {
    const listing = environment.listDevices();
    expect(listing.kind).toBe("cuda");
    expect(listing.devices.length).toBeGreaterThanOrEqual(2);
    for (const d of listing.devices.slice(0, 2)) {
      expect(d.tensorrt).toBe(true);
      expect(d.pciBusId).toMatch(/^[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.0$/);
      expect(d.freeMemoryBytes).toBeGreaterThan(0);
    }
  });

  it("runs a module on cuda:0 and one on cuda:1 concurrently, each with correct results on its own GPU", async () => {
    const make = async (device: string) => {
      const m = await withRuntime(impl, () => TensorRTModule.fromEngine(plan("add_dynamic"), { environment, device }));
      modules.push(m);
      return m;
    };
    const [m0, m1] = [await make("cuda:0"), await make("cuda:1")];
    expect([m0.device.name, m1.device.name]).toEqual(["cuda:0", "cuda:1"]);
    await Promise.all(
      Array.from({ length: RUNS }, async (_, i) => {
        const m = i % 2 === 0 ? m0 : m1;
        const batch = 1 + (i % 5);
        const a = Float32Array.from({ length: batch * 4 }, (_, k) => i + k);
        const b = Float32Array.from({ length: batch * 4 }, (_, k) => 1000 * (i % 2) + k);
        const r = await withRuntime(impl, () => m.run({ a: { data: a, shape: [batch, 4] }, b: { data: b, shape: [batch, 4] } }));
        expect(r.get("sum").device).toBe(m.device.name);
        expect(values(await r.get("sum").toArray())).toEqual(Array.from(a, (v, k) => v + b[k]!));
        r.dispose();
      }),
    );
    expect(m0.stats.runs + m1.stats.runs).toBe(RUNS);
  });
});
