/**
 * On real TensorRT: an engine with one of TensorRT's standard plugins
 * (EfficientNMS_TRT) loads with nothing configured, because the runtime finds
 * libnvinfer_plugin beside libnvinfer and registers its creators before
 * deserializing; its outputs equal those of TensorRT's Python API, on each
 * engine implementation. Skipped (saying why) without TRT_REAL_PLUGIN_FIXTURES.
 */
import { basename } from "node:path";
import { TensorRTEnvironment, TensorRTModule, withRuntime } from "@trt/sdk";
import type { EngineImplementation } from "@trt/sdk";
import { afterAll, describe, expect, it } from "vitest";
import { expectTensorRTOutputs, pluginTarget } from "./support/plugin-fixtures.js";

const target = pluginTarget();
if ("skip" in target) {
  console.log(`[real-plugins] skipped: ${target.skip}`);
  it.skip(`real TensorRT plugins: ${target.skip}`, () => {});
} else {
  const { directory, nvinferPath } = target;
  const nms = target.fixtures.find((f) => f.name === "efficient_nms");
  const environment = new TensorRTEnvironment({ nvinferPath });
  const implementations: EngineImplementation[] = environment.nativeAvailability().available ? ["native", "ffi"] : ["ffi"];
  const modules: TensorRTModule[] = [];
  afterAll(() => modules.forEach((m) => m.release()));

  describe.each(implementations)("TensorRT's standard plugins, %s engine", (impl) => {
    it.skipIf(!nms || nms.error)("EfficientNMS_TRT: TensorRT's outputs, with libnvinfer_plugin found beside libnvinfer", async () => {
      const m = await withRuntime(impl, () => TensorRTModule.load(`${directory}/${nms!.files.engine}`, { environment }));
      modules.push(m);
      await expectTensorRTOutputs(m, impl, directory, nms!, 0);
      const status = withRuntime(impl, () => environment.pluginStatus());
      expect(basename(status!.standard.path!)).toMatch(/^libnvinfer_plugin\.so\.\d+$/);
      expect(status!.standard.creators).toBeGreaterThan(10);
      console.log(`[real-plugins] ${impl}: ${status!.standard.path} registered ${status!.standard.creators} creators`);
    });
  });
}
