/**
 * Plugins end to end on the emulator, with each engine implementation and
 * both TensorRT majors: TensorRT's plugin library found beside libnvinfer and
 * registered before the first engine, a user's plugin library loaded through
 * the registry (module option, environment option, TRT_PLUGIN_PATHS), and the
 * three typed errors, and what pluginStatus counts: TensorRT's plugins in the
 * library's global registry, a user's library in the runtime's own, as
 * TensorRT 10.6 keeps them. The registries belong to the process, so these
 * tests only ever add to them.
 */
import { basename } from "node:path";
import { buildPlan, EMULATOR_STANDARD_PLUGINS, EMULATOR_TEST_PLUGINS, emulatorLibraryPath, emulatorTestPluginLibraryPath } from "@trt/emulator";
import { afterAll, describe, expect, it } from "vitest";
import { PluginError } from "../src/errors/index.js";
import { TensorRTEnvironment } from "../src/environment/environment.js";
import { TensorRTModule } from "../src/module/module.js";
import type { ModuleOptions } from "../src/module/module.js";
import { withRuntime } from "../src/selection/scope.js";
import { IMPLEMENTATIONS, MAJORS, plan } from "./support/runtime.js";
import type { Major } from "./support/runtime.js";

const needsMissingPlugin = buildPlan({
  name: "needs_missing_plugin",
  inputs: [{ name: "x", dtype: "float32", shape: [4] }],
  layers: [{ op: "plugin", name: "mystery", input: "x", output: "y", plugin: { name: "NoSuchPlugin_TRT", version: "7", namespace: "nowhere" } }],
  outputs: ["y"],
});

async function failure(promise: Promise<unknown>): Promise<PluginError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof PluginError) return error;
    throw error;
  }
  throw new Error("expected a PluginError");
}

describe.each(IMPLEMENTATIONS)("plugins, %s engine", (impl) => {
  describe.each(MAJORS)("TensorRT %i emulator", (major: Major) => {
    const modules: TensorRTModule[] = [];
    afterAll(() => modules.forEach((m) => m.release()));
    const nvinferPath = emulatorLibraryPath(major);
    const testPlugins = emulatorTestPluginLibraryPath("test", major);
    const load = (bytes: Uint8Array, options: ModuleOptions & { env?: Record<string, string> } = {}) =>
      withRuntime(impl, async () => {
        const { env, ...rest } = options;
        const environment = options.environment ?? new TensorRTEnvironment({ nvinferPath, ...(env ? { env } : {}) });
        const m = await TensorRTModule.fromEngine(bytes, { ...rest, environment });
        modules.push(m);
        return m;
      });

    it("runs an engine with one of TensorRT's standard plugins: its library is found beside libnvinfer", async () => {
      const m = await load(plan("plugin_standard"));
      const x = Float32Array.from([1, -2, 3.5, 4, -5, 6]);
      const result = await withRuntime(impl, () => m.run({ x: { data: x, shape: [2, 3] } }));
      expect(Array.from((await result.get("y").toArray()) as Float32Array)).toEqual(Array.from(x));
      const status = withRuntime(impl, () => new TensorRTEnvironment({ nvinferPath }).pluginStatus());
      expect(basename(status!.standard.path!)).toBe(`libnvinfer_plugin.so.${major}`);
      expect(status!.creators).toBeGreaterThanOrEqual(2);
    });

    it("counts the creators TensorRT's plugin library registered, which go to the global registry, not the runtime's", () => {
      const status = withRuntime(impl, () => new TensorRTEnvironment({ nvinferPath }).pluginStatus());
      expect(status!.standard).toEqual({ path: expect.stringMatching(/libnvinfer_plugin\.so\.\d+$/), creators: EMULATOR_STANDARD_PLUGINS.length, reason: null });
      expect(status!.creators).toBeGreaterThanOrEqual(EMULATOR_STANDARD_PLUGINS.length);
    });

    it("runs an engine with a plugin of the user's, from the module's plugins option, and counts both registries", async () => {
      const environment = new TensorRTEnvironment({ nvinferPath });
      const m = await load(plan("plugin_custom"), { plugins: [testPlugins], environment });
      const result = await withRuntime(impl, () => m.run({ x: { data: Float32Array.from([1, -1, 2, -2, 3, -3, 4, -4]), shape: [2, 4] } }));
      expect(Array.from((await result.get("y").toArray()) as Float32Array)).toEqual([1, 0, 2, 0, 3, 0, 4, 0]);
      // The library went into this environment's runtime registry (another runtime has its own).
      const status = withRuntime(impl, () => environment.pluginStatus());
      expect(status!.libraries.map((l) => [l.path, l.creators])).toEqual([[testPlugins, EMULATOR_TEST_PLUGINS.length]]);
      expect(status!.standard.creators).toBe(EMULATOR_STANDARD_PLUGINS.length);
      expect(status!.creators).toBe(EMULATOR_STANDARD_PLUGINS.length + EMULATOR_TEST_PLUGINS.length);
    });

    it("loads the libraries TRT_PLUGIN_PATHS names", async () => {
      const m = await load(plan("plugin_custom"), { env: { TRT_PLUGIN_PATHS: `${testPlugins}:` } });
      expect(m.inputNames).toEqual(["x"]);
    });

    it("names a missing creator: PLUGIN_NOT_FOUND", async () => {
      const error = await failure(load(needsMissingPlugin));
      expect(error.code).toBe("PLUGIN_NOT_FOUND");
      expect(error.plugin).toEqual({ name: "NoSuchPlugin_TRT", version: "7", namespace: "nowhere" });
      expect(error.message).toContain(`libnvinfer_plugin.so.${major}`); // what was loaded
      expect(error.message).toContain("--plugin");
    });

    it("refuses a library that does not open: PLUGIN_LIBRARY_NOT_FOUND", async () => {
      const missing = "/nonexistent/libmy_plugins.so";
      const error = await failure(load(plan("identity_f32"), { plugins: [missing] }));
      expect(error.code).toBe("PLUGIN_LIBRARY_NOT_FOUND");
      expect(error.library).toBe(missing);
      expect(error.message).toContain("(from plugins option)");
      const fromEnv = await failure(load(plan("identity_f32"), { env: { TRT_PLUGIN_PATHS: missing } }));
      expect(fromEnv.message).toContain("(from $TRT_PLUGIN_PATHS)");
    });

    it("refuses a library that registers nothing, or that TensorRT refuses: PLUGIN_LIBRARY_INVALID", async () => {
      const empty = await failure(load(plan("identity_f32"), { plugins: [emulatorTestPluginLibraryPath("empty", major)] }));
      expect(empty.code).toBe("PLUGIN_LIBRARY_INVALID");
      expect(empty.message).toContain("registered no plugin creator");
      const notAPluginLibrary = await failure(load(plan("identity_f32"), { plugins: [nvinferPath] }));
      expect(notAPluginLibrary.code).toBe("PLUGIN_LIBRARY_INVALID");
      expect(notAPluginLibrary.message).toContain("IPluginRegistry::loadLibrary refused it");
    });
  });
});
