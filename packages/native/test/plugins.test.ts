/**
 * The addon's PluginHost on the emulator: the registry of the backend's
 * runtime and the library's global one (apart, as TensorRT 10.6 keeps them),
 * TensorRT's plugin library (the emulator's stand-in beside libnvinfer) into
 * the global one, IPluginRegistry::loadLibrary into the runtime's, and what a
 * deserialization that lacks a creator reports. This file runs in a process
 * of its own (forks pool), so the registries start empty.
 */
import { dirname, join } from "node:path";
import { EMULATOR_STANDARD_PLUGINS, EMULATOR_TEST_PLUGINS, emulatorTestPluginLibraryPath } from "@trt/emulator";
import { describe, expect, it } from "vitest";
import { loadNative } from "../src/index.js";
import { backendFor, libraryPath, MAJORS, plan } from "./helpers.js";

describe.each(MAJORS)("plugins on TensorRT %i (emulator)", (major) => {
  const backend = backendFor(major);
  const host = backend.plugins;
  // A second runtime of the same library: its own registry, the same global one.
  const other = loadNative({ nvinferPath: libraryPath(major) }).addon.openBackend({ nvinferPath: libraryPath(major) });

  it("reaches the runtime's registry and the library's global one, the same objects for every call", () => {
    expect(host.registry).toBeGreaterThan(0);
    expect(host.globalRegistry).toBeGreaterThan(0);
    expect(host.globalRegistry).not.toBe(host.registry);
    expect(backend.plugins).toBe(host);
    expect(other.plugins.registry).not.toBe(host.registry);
    expect(other.plugins.globalRegistry).toBe(host.globalRegistry);
    expect(host.creatorCount()).toBe(0);
  });

  it("reports what TensorRT logged when a plan's creator is missing, cause first", async () => {
    const error = (await backend.deserialize(plan("plugin_standard")).catch((e: unknown) => e)) as Error & {
      code?: string;
      tensorrtMessages?: string[];
    };
    expect(error.code).toBe("TRT_TENSORRT_ERROR");
    expect(error.tensorrtMessages).toHaveLength(2);
    expect(error.tensorrtMessages![0]).toContain("Cannot find plugin: EfficientNMS_TRT, version: 1, namespace:.");
    expect(error.tensorrtMessages![1]).toContain("IPluginCreator not found in Plugin Registry");
  });

  it("registers TensorRT's plugins with initLibNvInferPlugins, in the global registry every runtime counts", async () => {
    const outcome = host.initStandardPlugins(join(dirname(libraryPath(major)), `libnvinfer_plugin.so.${major}`));
    expect(outcome).toEqual({ openError: null, ok: true, logged: [] });
    expect(host.creatorCount()).toBe(EMULATOR_STANDARD_PLUGINS.length);
    expect(other.plugins.creatorCount()).toBe(EMULATOR_STANDARD_PLUGINS.length);
    const engine = await backend.deserialize(plan("plugin_standard"));
    expect(engine.info.layerCount).toBe(1);
    engine.release();
    const elsewhere = await other.deserialize(plan("plugin_standard"));
    elsewhere.release();
  });

  it("loads a plugin library through the registry, and says why one does not load", async () => {
    const missing = host.loadLibrary("/nonexistent/libnothing.so");
    expect(missing.ok).toBe(false);
    expect(missing.openError).toContain("/nonexistent/libnothing.so");
    const before = host.creatorCount();
    expect(host.loadLibrary(emulatorTestPluginLibraryPath("test", major))).toMatchObject({ openError: null, ok: true });
    expect(host.creatorCount()).toBe(before + EMULATOR_TEST_PLUGINS.length);
    const engine = await backend.deserialize(plan("plugin_custom"));
    expect(engine.info.io.map((t) => t.name)).toEqual(["x", "y"]);
    engine.release();
    // Into this runtime's registry only: another runtime neither counts nor finds them.
    expect(other.plugins.creatorCount()).toBe(EMULATOR_STANDARD_PLUGINS.length);
    const elsewhere = (await other.deserialize(plan("plugin_custom")).catch((e: unknown) => e)) as Error & { tensorrtMessages?: string[] };
    expect(elsewhere.tensorrtMessages![0]).toContain("Cannot find plugin: EmuScale, version: 1, namespace:emu.");
    // The same library again: TensorRT refuses it whole, and says why through the logger.
    const again = host.loadLibrary(emulatorTestPluginLibraryPath("test", major));
    expect(again.ok).toBe(false);
    expect(again.logged.join("\n")).toContain("already registered");
    expect(host.creatorCount()).toBe(before + 2);
  });

  it("refuses a non-string path", () => {
    expect(() => host.loadLibrary(42 as unknown as string)).toThrow(/loadLibrary: path/);
  });
});
