/**
 * On real TensorRT: an engine whose plugin comes from a plugin library of the
 * user's, loaded through IPluginRegistry::loadLibrary. The library is
 * libnvinfer_vc_plugin (ROIAlign_TRT version 2, an IPluginV3); TensorRT's
 * standard plugin library holds an ROIAlign_TRT version 2 too, so it is not
 * loaded here (nvinferPluginPath: false), and this file runs in a process of
 * its own (a fresh registry). Without the library the engine fails with
 * PLUGIN_NOT_FOUND naming the creator; with it, its outputs equal those of
 * TensorRT's Python API on each engine implementation.
 */
import { PluginError, TensorRTEnvironment, TensorRTModule, withRuntime } from "@trt/sdk";
import type { EngineImplementation } from "@trt/sdk";
import { afterAll, describe, expect, it } from "vitest";
import { expectTensorRTOutputs, pluginTarget, userPluginLibrary } from "./support/plugin-fixtures.js";

const target = pluginTarget();
if ("skip" in target) {
  console.log(`[real-plugins] skipped: ${target.skip}`);
  it.skip(`real TensorRT plugins: ${target.skip}`, () => {});
} else {
  const { directory, nvinferPath } = target;
  const roi = target.fixtures.find((f) => f.name === "roi_align");
  const engine = `${directory}/${roi?.files.engine ?? "roi_align.engine"}`;
  const bare = new TensorRTEnvironment({ nvinferPath, nvinferPluginPath: false });
  const implementations: EngineImplementation[] = bare.nativeAvailability().available ? ["native", "ffi"] : ["ffi"];
  const modules: TensorRTModule[] = [];
  afterAll(() => modules.forEach((m) => m.release()));

  describe("a plugin library of the user's", () => {
    it.skipIf(!roi || roi.error)("without it: PLUGIN_NOT_FOUND naming ROIAlign_TRT version 2", async () => {
      const error = await withRuntime("ffi", () => TensorRTModule.load(engine, { environment: bare })).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PluginError);
      expect((error as PluginError).code).toBe("PLUGIN_NOT_FOUND");
      expect((error as PluginError).plugin).toMatchObject({ name: "ROIAlign_TRT", version: "2" });
      console.log(`[real-plugins] without the library: ${(error as Error).message}`);
    });

    it.each(implementations)("with it (plugins option), on %s: TensorRT's outputs", async (impl) => {
      if (!roi || roi.error) return;
      const library = userPluginLibrary(nvinferPath);
      const environment = new TensorRTEnvironment({ nvinferPath, nvinferPluginPath: false, plugins: [library] });
      const m = await withRuntime(impl, () => TensorRTModule.load(engine, { environment }));
      modules.push(m);
      await expectTensorRTOutputs(m, impl, directory, roi, 1e-6);
      const status = withRuntime(impl, () => environment.pluginStatus());
      expect(status!.libraries.map((l) => l.path)).toEqual([library]);
      console.log(`[real-plugins] ${impl}: ${library} registered ${status!.libraries[0]!.creators} creator(s)`);
    });
  });
}
