/**
 * The settings on a module: the creation option is in effect before the
 * first context (so none is made twice), equal values change nothing, a
 * setting that shapes contexts re-creates them once, a CUDA-graph change
 * re-creates none, and what the loaded TensorRT cannot honour warns once per
 * process and changes nothing while the rest of the request applies.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { RuntimeSettings } from "@trt/settings";
import { afterEach, describe, expect, it } from "vitest";
import type { TensorRTEnvironment } from "../src/environment/environment.js";
import { TensorRTModule } from "../src/module/module.js";
import { withRuntime } from "../src/selection/scope.js";
import { environmentFor, IMPLEMENTATIONS, plan, presentedAs } from "./support/runtime.js";
import { useTempDir } from "./support/temp-dir.js";
import { codes, collectWarnings } from "./support/warnings.js";

const warnings = collectWarnings();
const dir = useTempDir();
const modules: TensorRTModule[] = [];
afterEach(() => modules.splice(0).forEach((m) => m.release()));
const n = IMPLEMENTATIONS.length;
const input = [new Float32Array(6)];

async function make(environment: TensorRTEnvironment = environmentFor(10), runtimeSettings?: ConstructorParameters<typeof RuntimeSettings>[0]) {
  const m = await TensorRTModule.fromEngine(plan("identity_f32"), { environment, ...(runtimeSettings ? { runtimeSettings } : {}) });
  modules.push(m);
  return m;
}

async function runEach(m: TensorRTModule): Promise<void> {
  for (const impl of IMPLEMENTATIONS) (await withRuntime(impl, () => m.run(input))).dispose();
}

describe("runtimeSettings on a module", () => {
  it("starts from the creation option, else the defaults; a bad option is refused", async () => {
    const plain = await make();
    const graphs = await make(environmentFor(10), { cudaGraphStrategy: "whole_graph_capture" });
    expect(plain.runtimeSettings.equals(RuntimeSettings.DEFAULT)).toBe(true);
    expect(graphs.runtimeSettings.cudaGraphStrategy).toBe("whole_graph_capture");
    await expect(make(environmentFor(10), { cudaGraphStrategy: "sometimes" as never })).rejects.toMatchObject({ code: "TRT_INVALID_SETTING" });
  });

  it("the creation option is in effect before the first context: one context per implementation, the cache attached to it", async () => {
    const path = join(dir.path, "hint.cache");
    const m = await make(environmentFor(10), { runtimeCache: path, cudaGraphStrategy: "whole_graph_capture" });
    expect(m.stats.contextsCreated).toBe(0);
    await runEach(m);
    await runEach(m);
    expect(m.stats.contextsCreated).toBe(n);
    // Both implementations' contexts share one TensorRT-side cache: the first compiles, the others hit.
    expect(m.stats.runtimeCache).toEqual({ entries: 1, hits: 2 * n - 1, misses: 1 });
    m.release();
    expect(existsSync(path)).toBe(true);
  });

  it("equal values are a no-op; a CUDA-graph change re-creates no context", async () => {
    const m = await make(environmentFor(10), { runtimeCache: join(dir.path, "same.cache") });
    await runEach(m);
    expect(m.stats.contextsCreated).toBe(n);
    const current = m.runtimeSettings;
    m.runtimeSettings = new RuntimeSettings({ runtimeCache: join(dir.path, "same.cache") });
    m.runtimeSettings = RuntimeSettings.from({ ...current });
    expect(m.runtimeSettings).toBe(current);
    m.runtimeSettings = current.with({ cudaGraphStrategy: "whole_graph_capture" });
    expect(m.runtimeSettings.cudaGraphStrategy).toBe("whole_graph_capture");
    await runEach(m);
    m.runtimeSettings = m.runtimeSettings.with({ cudaGraphStrategy: "disabled" });
    await runEach(m);
    expect(m.stats.contextsCreated).toBe(n);
    expect(() => (m.runtimeSettings = { cudaGraphStrategy: 1 } as never)).toThrow(/cudaGraphStrategy/);
  });

  it.each([
    ["kernel strategy (TensorRT-RTX)", "rtx", { dynamicShapesKernelSpecializationStrategy: "eager" }],
    ["runtime cache (emulator)", "emulator", { runtimeCache: "<dir>/recreate.cache" }],
  ] as const)("a new %s re-creates the contexts once, lazily, for every implementation", async (_name, where, change) => {
    const environment = where === "rtx" ? presentedAs("rtx") : environmentFor(10);
    const m = await make(environment);
    await runEach(m);
    expect(m.stats.contextsCreated).toBe(n);
    const next = Object.fromEntries(Object.entries(change).map(([k, v]) => [k, v.replace("<dir>", dir.path)]));
    m.runtimeSettings = m.runtimeSettings.with(next);
    expect(m.stats.contextsCreated).toBe(n); // nothing made until needed
    await runEach(m);
    await runEach(m);
    expect(m.stats.contextsCreated).toBe(2 * n);
    m.runtimeSettings = m.runtimeSettings.with(next);
    await runEach(m);
    expect(m.stats.contextsCreated).toBe(2 * n);
  });

  it("standard TensorRT: RTX-only settings warn once per process and change nothing; the rest of the request applies", async () => {
    const standard = presentedAs("standard");
    const path = join(dir.path, "never.cache");
    const a = await make(standard);
    const b = await make(standard, { runtimeCache: path, dynamicShapesKernelSpecializationStrategy: "none" });
    expect(b.runtimeSettings.equals(RuntimeSettings.DEFAULT)).toBe(true);
    await runEach(a);
    a.runtimeSettings = a.runtimeSettings.with({ dynamicShapesKernelSpecializationStrategy: "eager", runtimeCache: path, cudaGraphStrategy: "whole_graph_capture" });
    expect(a.runtimeSettings.dynamicShapesKernelSpecializationStrategy).toBe("lazy");
    expect(a.runtimeSettings.runtimeCache).toBeNull();
    expect(a.runtimeSettings.cudaGraphStrategy).toBe("whole_graph_capture");
    a.runtimeSettings = a.runtimeSettings.with({ dynamicShapesKernelSpecializationStrategy: "none", runtimeCache: path });
    await runEach(a);
    expect(a.stats.contextsCreated).toBe(n);
    expect(codes(warnings).filter((c) => c.startsWith("TRT_UNSUPPORTED"))).toEqual(["TRT_UNSUPPORTED_KERNEL_SPECIALIZATION", "TRT_UNSUPPORTED_RUNTIME_CACHE"]);
    a.release();
    b.release();
    expect(existsSync(path)).toBe(false);
  });

  it("the emulator honours the runtime cache but not the kernel strategy", async () => {
    const m = await make();
    expect(m.runtimeCapabilities).toEqual({ kernelSpecialization: false, runtimeCache: true });
    expect(presentedAs("standard").capabilities).toEqual({ kernelSpecialization: false, runtimeCache: false });
    m.runtimeSettings = m.runtimeSettings.with({ dynamicShapesKernelSpecializationStrategy: "eager" });
    m.runtimeSettings = m.runtimeSettings.with({ dynamicShapesKernelSpecializationStrategy: "none" });
    expect(m.runtimeSettings.dynamicShapesKernelSpecializationStrategy).toBe("lazy");
    expect(codes(warnings)).toEqual(["TRT_UNSUPPORTED_KERNEL_SPECIALIZATION"]);
  });
});
