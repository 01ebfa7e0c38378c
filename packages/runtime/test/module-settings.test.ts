/**
 * The settings seam: a module stores its RuntimeSettings, equal values change
 * nothing, what TensorRT cannot honour is kept as it was, and contexts are
 * re-created only when a setting that shapes them changes (never twice for
 * nothing). The @trt/settings helpers work on modules.
 */
import { emulatorLibraryPath } from "@trt/emulator";
import { RuntimeSettings, runtimeConfig, setCudaGraphStrategy, setWarningHandler, TENSORRT_RTX_CAPABILITIES } from "@trt/settings";
import type { SettingsWarning } from "@trt/settings";
import { afterAll, describe, expect, it } from "vitest";
import { TensorRTEnvironment } from "../src/environment/environment.js";
import { TensorRTModule } from "../src/module/module.js";
import { withRuntime } from "../src/selection/scope.js";
import { environmentFor, IMPLEMENTATIONS, plan } from "./support/runtime.js";

const modules: TensorRTModule[] = [];
afterAll(() => modules.forEach((m) => m.release()));
const input = [new Float32Array(6)];

async function runEach(m: TensorRTModule): Promise<void> {
  for (const impl of IMPLEMENTATIONS) (await withRuntime(impl, () => m.run(input))).dispose();
}

describe("runtimeSettings", () => {
  it("starts from the creation option, else the defaults", async () => {
    const plain = await TensorRTModule.fromEngine(plan("identity_f32"), { environment: environmentFor(10) });
    const graphs = await TensorRTModule.fromEngine(plan("identity_f32"), {
      environment: environmentFor(10),
      runtimeSettings: { cudaGraphStrategy: "whole_graph_capture" },
    });
    modules.push(plain, graphs);
    expect(plain.runtimeSettings.equals(RuntimeSettings.DEFAULT)).toBe(true);
    expect(graphs.runtimeSettings.cudaGraphStrategy).toBe("whole_graph_capture");
    await expect(
      TensorRTModule.fromEngine(plan("identity_f32"), { environment: environmentFor(10), runtimeSettings: { cudaGraphStrategy: "sometimes" as never } }),
    ).rejects.toMatchObject({ code: "TRT_INVALID_SETTING" });
  });

  it("equal values are a no-op; a CUDA-graph change re-creates no context", async () => {
    const m = await TensorRTModule.fromEngine(plan("identity_f32"), { environment: environmentFor(10) });
    modules.push(m);
    await runEach(m);
    const contexts = m.stats.contextsCreated;
    expect(contexts).toBe(IMPLEMENTATIONS.length);
    const current = m.runtimeSettings;
    m.runtimeSettings = new RuntimeSettings();
    expect(m.runtimeSettings).toBe(current);
    m.runtimeSettings = current.with({ cudaGraphStrategy: "whole_graph_capture" });
    expect(m.runtimeSettings.cudaGraphStrategy).toBe("whole_graph_capture");
    await runEach(m);
    expect(m.stats.contextsCreated).toBe(contexts);
    expect(() => (m.runtimeSettings = { cudaGraphStrategy: 1 } as never)).toThrow(/cudaGraphStrategy/);
  });

  it("standard TensorRT: an RTX-only change warns once and keeps the value", async () => {
    const m = await TensorRTModule.fromEngine(plan("identity_f32"), { environment: environmentFor(10) });
    modules.push(m);
    const warnings: SettingsWarning[] = [];
    setWarningHandler((w) => void warnings.push(w));
    try {
      m.runtimeSettings = m.runtimeSettings.with({ dynamicShapesKernelSpecializationStrategy: "eager" });
    } finally {
      setWarningHandler(null);
    }
    expect(m.runtimeSettings.dynamicShapesKernelSpecializationStrategy).toBe("lazy");
    expect(warnings.length).toBeLessThanOrEqual(1); // once per process: an earlier test file may have used it up
  });

  it("a setting that shapes contexts re-creates them once, lazily, for every implementation", async () => {
    const rtx = new TensorRTEnvironment({ nvinferPath: emulatorLibraryPath(10), capabilities: TENSORRT_RTX_CAPABILITIES });
    const m = await TensorRTModule.fromEngine(plan("identity_f32"), { environment: rtx });
    modules.push(m);
    await runEach(m);
    const n = IMPLEMENTATIONS.length;
    expect(m.stats.contextsCreated).toBe(n);
    m.runtimeSettings = m.runtimeSettings.with({ dynamicShapesKernelSpecializationStrategy: "eager" });
    expect(m.stats.contextsCreated).toBe(n); // nothing made until needed
    await runEach(m);
    await runEach(m);
    expect(m.stats.contextsCreated).toBe(2 * n);
    m.runtimeSettings = m.runtimeSettings.with({ dynamicShapesKernelSpecializationStrategy: "eager" });
    await runEach(m);
    expect(m.stats.contextsCreated).toBe(2 * n);
  });

  it("the @trt/settings scopes change and restore a module", async () => {
    const m = await TensorRTModule.fromEngine(plan("identity_f32"), { environment: environmentFor(10) });
    modules.push(m);
    await runtimeConfig(m, { cudaGraphStrategy: "whole_graph_capture" }, async () => {
      expect(m.runtimeSettings.cudaGraphStrategy).toBe("whole_graph_capture");
      (await m.run(input)).dispose();
    });
    expect(m.runtimeSettings.cudaGraphStrategy).toBe("disabled");
    {
      using _scope = setCudaGraphStrategy(m, "whole_graph_capture");
      expect(m.runtimeSettings.cudaGraphStrategy).toBe("whole_graph_capture");
    }
    expect(m.runtimeSettings.cudaGraphStrategy).toBe("disabled");
  });
});
