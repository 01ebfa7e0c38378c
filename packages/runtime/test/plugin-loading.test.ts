/**
 * The plugin policy above both engines, against a PluginHost that records
 * what it is asked (so every outcome TensorRT can give is reachable): where
 * TensorRT's plugin library is looked for, loading it once per global
 * registry and each user's library once per runtime registry, counting both
 * registries, the three error codes, TRT_PLUGIN_PATHS, and reading the
 * missing creator from TensorRT's messages.
 */
import { symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { PluginHost, PluginLibraryOutcome, TensorRTLibraryInfo } from "../src/engine/contract.js";
import { PluginError, TensorRTCallError, TrtError } from "../src/errors/index.js";
import {
  ensureStandardPlugins,
  loadPluginLibraries,
  missingPluginError,
  pluginNamedIn,
  pluginPathsFromEnv,
  pluginRequests,
  pluginStatusOf,
  standardPluginCandidates,
} from "../src/plugins/index.js";
import { useTempDir } from "./support/temp-dir.js";

let nextRegistry = 0x1000;

/** A library's global registry, shared by the FakeHosts of its runtimes. */
class FakeGlobal {
  readonly address = (nextRegistry += 0x100);
  count = 0;
}

/**
 * A runtime's registry beside its library's global one, as TensorRT keeps
 * them: initStandardPlugins registers `creators[path]` creators in the global
 * one (where initLibNvInferPlugins puts them), loadLibrary in the runtime's
 * (missing: the file does not open; -1: TensorRT refuses it). A global of
 * null is a library without getPluginRegistry: what it holds is not counted.
 */
class FakeHost implements PluginHost {
  readonly registry = (nextRegistry += 0x100);
  readonly globalRegistry: number | null;
  count = 0;
  readonly calls: string[] = [];
  constructor(
    private readonly creators: Record<string, number>,
    private readonly global: FakeGlobal | null = new FakeGlobal(),
  ) {
    this.globalRegistry = global?.address ?? null;
  }
  creatorCount(): number {
    return this.count + (this.global?.count ?? 0);
  }
  private outcome(kind: string, path: string, add: (n: number) => void): PluginLibraryOutcome {
    this.calls.push(`${kind} ${path}`);
    const n = this.creators[path];
    if (n === undefined) return { openError: `${path}: cannot open shared object file: No such file or directory`, ok: false, logged: [] };
    if (n < 0) return { openError: null, ok: false, logged: [`IPluginRegistry::loadLibrary: '${path}' exports neither getCreators nor getPluginCreators`] };
    add(n);
    return { openError: null, ok: true, logged: [] };
  }
  initStandardPlugins(path: string): PluginLibraryOutcome {
    // Without a reachable global registry the creators still go there, uncounted.
    return this.outcome("init", path, (n) => {
      if (this.global) this.global.count += n;
    });
  }
  loadLibrary(path: string): PluginLibraryOutcome {
    return this.outcome("load", path, (n) => (this.count += n));
  }
}

const library = (path: string, variant: TensorRTLibraryInfo["variant"] = "full"): TensorRTLibraryInfo => ({
  path,
  version: { major: 10, minor: 6, patch: 0, raw: 100600 },
  emulator: null,
  variant,
});

describe("TensorRT's plugin library", () => {
  const dir = useTempDir();

  it("is the file beside a libnvinfer loaded from a file, else the name for the system loader", () => {
    writeFileSync(join(dir.path, "libnvinfer_plugin.so.10"), "");
    expect(standardPluginCandidates(library(join(dir.path, "libnvinfer.so.10")), { env: {} })).toEqual({
      paths: [join(dir.path, "libnvinfer_plugin.so.10")],
      explicit: false,
    });
    expect(standardPluginCandidates(library("libnvinfer.so.10"), { env: {} })).toEqual({ paths: ["libnvinfer_plugin.so.10"], explicit: false });
    expect(standardPluginCandidates(library("/opt/nothing/libnvinfer.so.10"), { env: {} })).toEqual({
      none: "libnvinfer_plugin.so.10 is not beside /opt/nothing/libnvinfer.so.10",
    });
  });

  it("is what the caller names, alone; or none at all", () => {
    const lib = library("libnvinfer.so.10");
    expect(standardPluginCandidates(lib, { path: "/x/p.so", env: { TRT_NVINFER_PLUGIN_PATH: "/y/q.so" } })).toEqual({ paths: ["/x/p.so"], explicit: true });
    expect(standardPluginCandidates(lib, { env: { TRT_NVINFER_PLUGIN_PATH: "/y/q.so" } })).toEqual({ paths: ["/y/q.so"], explicit: true });
    expect(standardPluginCandidates(lib, { path: false, env: {} })).toEqual({ none: expect.stringContaining("nvinferPluginPath is false") });
  });

  it("does not exist for the lean and dispatch runtimes, and says so", () => {
    for (const variant of ["lean", "dispatch"] as const) {
      const found = standardPluginCandidates(library(`/t/libnvinfer_${variant}.so.10`, variant), { env: {} });
      expect(found).toEqual({ none: expect.stringContaining(`TensorRT's ${variant} runtime has no plugin library`) });
    }
  });

  it("is loaded once per registry, and not finding it is only a status", () => {
    const host = new FakeHost({ "libnvinfer_plugin.so.10": 40 });
    const first = ensureStandardPlugins(host, library("libnvinfer.so.10"), { env: {} });
    expect(first).toEqual({ path: "libnvinfer_plugin.so.10", creators: 40, reason: null });
    expect(ensureStandardPlugins(host, library("libnvinfer.so.10"), { env: {} })).toBe(first);
    expect(host.calls).toEqual(["init libnvinfer_plugin.so.10"]);

    const missing = new FakeHost({});
    const status = ensureStandardPlugins(missing, library("libnvinfer.so.10"), { env: {} });
    expect(status.path).toBeNull();
    expect(status.reason).toMatch(/libnvinfer_plugin\.so\.10 does not open \(.*No such file/);
  });

  it("is loaded once per global registry: another runtime of the library gets the same status, and counts the creators", () => {
    const global = new FakeGlobal();
    const first = new FakeHost({ "libnvinfer_plugin.so.10": 47 }, global);
    const second = new FakeHost({ "libnvinfer_plugin.so.10": 47 }, global);
    const status = ensureStandardPlugins(first, library("libnvinfer.so.10"), { env: {} });
    expect(status).toEqual({ path: "libnvinfer_plugin.so.10", creators: 47, reason: null });
    expect(ensureStandardPlugins(second, library("libnvinfer.so.10"), { env: {} })).toBe(status);
    expect(second.calls).toEqual([]);
    // Each runtime's own registry is empty: what it can find is the global one's.
    expect(pluginStatusOf(second)).toEqual({ standard: status, libraries: [], creators: 47 });
  });

  it("without the global registry, loads but says why its creators are not counted", () => {
    const host = new FakeHost({ "libnvinfer_plugin.so.10": 47 }, null);
    const status = ensureStandardPlugins(host, library("libnvinfer.so.10"), { env: {} });
    expect(status.path).toBe("libnvinfer_plugin.so.10");
    expect(status.creators).toBe(0);
    expect(status.reason).toContain("libnvinfer.so.10 exports no getPluginRegistry");
    expect(pluginStatusOf(host).creators).toBe(0);
  });

  it("left out by one environment is still loaded for the next that wants it", () => {
    const host = new FakeHost({ "libnvinfer_plugin.so.10": 7 });
    expect(ensureStandardPlugins(host, library("libnvinfer.so.10"), { path: false, env: {} }).path).toBeNull();
    expect(ensureStandardPlugins(host, library("libnvinfer.so.10"), { env: {} })).toMatchObject({ path: "libnvinfer_plugin.so.10", creators: 7 });
  });

  it("named explicitly, must load", () => {
    const host = new FakeHost({});
    let caught: unknown;
    try {
      ensureStandardPlugins(host, library("libnvinfer.so.10"), { path: "/opt/trt/libnvinfer_plugin.so.10", env: {} });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(PluginError);
    expect((caught as PluginError).code).toBe("PLUGIN_LIBRARY_NOT_FOUND");
    expect((caught as PluginError).library).toBe("/opt/trt/libnvinfer_plugin.so.10");
  });
});

describe("plugin libraries of the user's", () => {
  const dir = useTempDir();

  it("are read from TRT_PLUGIN_PATHS (colon-separated) and from options", () => {
    expect(pluginPathsFromEnv({ TRT_PLUGIN_PATHS: "/a/libx.so: /b/liby.so::" })).toEqual([
      { path: "/a/libx.so", origin: "$TRT_PLUGIN_PATHS" },
      { path: "/b/liby.so", origin: "$TRT_PLUGIN_PATHS" },
    ]);
    expect(pluginPathsFromEnv({})).toEqual([]);
    expect(pluginRequests(["libz.so"], "plugins option")).toEqual([{ path: "libz.so", origin: "plugins option" }]);
    expect(() => pluginRequests("libz.so", "plugins option")).toThrow(/plugins option: expected an array of plugin library paths/);
    expect(() => pluginRequests([""], "plugins option")).toThrow(TypeError);
  });

  it("load once per registry, however they are named", () => {
    const real = join(dir.path, "libmine.so");
    writeFileSync(real, "");
    symlinkSync(real, join(dir.path, "link.so"));
    const host = new FakeHost({ [real]: 3, [join(dir.path, "link.so")]: 3 });
    const first = loadPluginLibraries(host, [{ path: real, origin: "plugins option" }]);
    expect(first).toEqual([{ path: real, loadedFrom: real, origin: "plugins option", creators: 3 }]);
    loadPluginLibraries(host, [{ path: join(dir.path, "link.so"), origin: "--plugin" }]);
    expect(host.calls).toEqual([`load ${real}`]);
    expect(pluginStatusOf(host).libraries).toHaveLength(1);
    expect(pluginStatusOf(host).creators).toBe(3);
  });

  it("load once per runtime registry: another runtime of the library loads its own, and counts add up", () => {
    const real = join(dir.path, "libours.so");
    writeFileSync(real, "");
    const global = new FakeGlobal();
    const creators = { "libnvinfer_plugin.so.10": 40, [real]: 2 };
    const first = new FakeHost(creators, global);
    const second = new FakeHost(creators, global);
    ensureStandardPlugins(first, library("libnvinfer.so.10"), { env: {} });
    expect(loadPluginLibraries(first, [{ path: real, origin: "plugins option" }])[0]!.creators).toBe(2);
    expect(loadPluginLibraries(second, [{ path: real, origin: "plugins option" }])[0]!.creators).toBe(2);
    expect(second.calls).toEqual([`load ${real}`]);
    for (const host of [first, second]) {
      const status = pluginStatusOf(host);
      expect(status.standard.creators).toBe(40);
      expect(status.libraries.map((l) => l.creators)).toEqual([2]);
      expect(status.creators).toBe(42);
    }
  });

  it("that do not open fail with PLUGIN_LIBRARY_NOT_FOUND, saying what named them", () => {
    const host = new FakeHost({});
    const error = capture(() => loadPluginLibraries(host, [{ path: "/nowhere/libp.so", origin: "$TRT_PLUGIN_PATHS" }]));
    expect(error.code).toBe("PLUGIN_LIBRARY_NOT_FOUND");
    expect(error.library).toBe("/nowhere/libp.so");
    expect(error.message).toContain("/nowhere/libp.so (from $TRT_PLUGIN_PATHS)");
    expect(error.message).toContain("No such file");
  });

  it("that TensorRT refuses, or that register nothing, fail with PLUGIN_LIBRARY_INVALID", () => {
    const host = new FakeHost({ "/l/refused.so": -1, "/l/empty.so": 0 });
    const refused = capture(() => loadPluginLibraries(host, [{ path: "/l/refused.so", origin: "plugins option" }]));
    expect(refused.code).toBe("PLUGIN_LIBRARY_INVALID");
    expect(refused.message).toContain("exports neither getCreators nor getPluginCreators");
    expect(refused.loggerMessages).toHaveLength(1);
    const empty = capture(() => loadPluginLibraries(host, [{ path: "/l/empty.so", origin: "plugins option" }]));
    expect(empty.code).toBe("PLUGIN_LIBRARY_INVALID");
    expect(empty.message).toContain("registered no plugin creator");
    expect(pluginStatusOf(host).libraries).toEqual([]);
  });
});

describe("a plan whose plugin creator is missing", () => {
  const v10 = [
    "IPluginRegistry::getPluginCreator: Error Code 4: API Usage Error (Cannot find plugin: EfficientNMS_TRT, version: 1, namespace:.)",
    "IRuntime::deserializeCudaEngine: Error Code 1: Serialization (Serialization assertion creator failed.Cannot deserialize plugin since corresponding IPluginCreator not found in Plugin Registry)",
  ];

  it("names the creator from TensorRT's messages, in either wording", () => {
    expect(pluginNamedIn(v10)).toEqual({ name: "EfficientNMS_TRT", version: "1", namespace: "" });
    expect(pluginNamedIn(["IPluginRegistry::getCreator: Error Code 4: API Usage Error (Cannot find plugin: EmuScale, version: 1, namespace:emu.)"])).toEqual({
      name: "EmuScale",
      version: "1",
      namespace: "emu",
    });
    expect(pluginNamedIn(["INVALID_ARGUMENT: getPluginCreator could not find plugin RetinaFaceDecode version 1"])).toEqual({
      name: "RetinaFaceDecode",
      version: "1",
      namespace: "",
    });
    expect(pluginNamedIn(["something else"])).toBeNull();
  });

  it("becomes PLUGIN_NOT_FOUND, saying what was loaded and how to load more", () => {
    const failure = new TensorRTCallError("IRuntime::deserializeCudaEngine", v10[1]!, undefined, v10);
    const status = { standard: { path: null, creators: 0, reason: "not beside /x/libnvinfer.so.10" }, libraries: [], creators: 0 };
    const error = missingPluginError(failure, status, library("/x/libnvinfer.so.10"));
    expect(error).toBeInstanceOf(PluginError);
    expect(error).toBeInstanceOf(TrtError);
    expect(error!.code).toBe("PLUGIN_NOT_FOUND");
    expect(error!.plugin).toEqual({ name: "EfficientNMS_TRT", version: "1", namespace: "" });
    expect(error!.message).toContain("EfficientNMS_TRT version 1");
    expect(error!.message).toContain("--plugin");
    expect(error!.message).toContain("TRT_PLUGIN_PATHS");
    expect(error!.message).toContain("libnvinfer_plugin.so.10, which was not loaded: not beside /x/libnvinfer.so.10");
    expect(error!.cause).toBe(failure);
  });

  it("leaves other failures alone", () => {
    const other = new TensorRTCallError("IRuntime::deserializeCudaEngine", "plan checksum mismatch", undefined, ["plan checksum mismatch"]);
    expect(missingPluginError(other, null, library("libnvinfer.so.10"))).toBeNull();
    expect(missingPluginError(new Error("boom"), null, library("libnvinfer.so.10"))).toBeNull();
  });
});

function capture(fn: () => unknown): PluginError {
  try {
    fn();
  } catch (error) {
    if (error instanceof PluginError) return error;
    throw error;
  }
  throw new Error("expected a PluginError");
}
