/**
 * The addon's PluginHost on the emulator: the registry of the backend's
 * runtime, TensorRT's plugin library (the emulator's stand-in beside
 * libnvinfer), IPluginRegistry::loadLibrary, and what a deserialization that
 * lacks a creator reports. This file runs in a process of its own (forks
 * pool), so the registry starts empty.
 */
import { dirname, join } from "node:path";
import { emulatorTestPluginLibraryPath } from "@trt/emulator";
import { describe, expect, it } from "vitest";
import { backendFor, libraryPath, MAJORS, plan } from "./helpers.js";

describe.each(MAJORS)("plugins on TensorRT %i (emulator)", (major) => {
  const backend = backendFor(major);
  const host = backend.plugins;

  it("reaches one registry, the same object for every call", () => {
    expect(host.registry).toBeGreaterThan(0);
    expect(backend.plugins).toBe(host);
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

  it("registers TensorRT's plugins with initLibNvInferPlugins", async () => {
    const outcome = host.initStandardPlugins(join(dirname(libraryPath(major)), `libnvinfer_plugin.so.${major}`));
    expect(outcome).toEqual({ openError: null, ok: true, logged: [] });
    expect(host.creatorCount()).toBe(2);
    const engine = await backend.deserialize(plan("plugin_standard"));
    expect(engine.info.layerCount).toBe(1);
    engine.release();
  });

  it("loads a plugin library through the registry, and says why one does not load", async () => {
    const missing = host.loadLibrary("/nonexistent/libnothing.so");
    expect(missing.ok).toBe(false);
    expect(missing.openError).toContain("/nonexistent/libnothing.so");
    const before = host.creatorCount();
    expect(host.loadLibrary(emulatorTestPluginLibraryPath("test", major))).toMatchObject({ openError: null, ok: true });
    expect(host.creatorCount()).toBe(before + 2);
    const engine = await backend.deserialize(plan("plugin_custom"));
    expect(engine.info.io.map((t) => t.name)).toEqual(["x", "y"]);
    engine.release();
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
