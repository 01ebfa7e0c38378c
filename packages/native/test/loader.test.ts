// loadNative / probeNative: where things are looked for and what is said
// when they are not there.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterEach, describe, expect, it } from "vitest";

import { addonCandidates, BINDING_VERSION, loadAddon, loadNative, NativeUnavailableError, probeNative, RuntimeUnavailableError } from "../src/index.js";
import { libraryPath, MAJORS } from "./helpers.js";

const scratch = mkdtempSync(join(tmpdir(), "trt-native-loader-"));

describe("the addon binary", () => {
  it("is found in the package build and speaks this binding version", () => {
    const { addon, addonPath } = loadAddon();
    expect(addonPath).toMatch(/build[/\\]Release[/\\]trt_native\.node$/);
    expect(addon.bindingVersion).toBe(BINDING_VERSION);
    expect(addon.supportedMajors).toEqual([10, 11]);
    expect(addon.napiVersion).toBe(8);
  });

  it("missing: binary-missing, listing where it looked", () => {
    const path = join(scratch, "nope.node");
    const probe = probeNative({ addonPath: path });
    expect(probe.ok).toBe(false);
    if (probe.ok) return;
    expect(probe.reason).toBe("binary-missing");
    expect(probe.tried).toEqual([`${path} (option addonPath): no such file`]);
    expect(probe.error).toBeInstanceOf(NativeUnavailableError);
    // The former name is the same class (a deprecated alias), and the error names itself by the new one.
    expect(RuntimeUnavailableError).toBe(NativeUnavailableError);
    expect(probe.error.name).toBe("NativeUnavailableError");
    expect(probe.error.code).toBe("TRT_RUNTIME_UNAVAILABLE");
    expect(probe.error.message).toMatch(/(npm|pnpm) rebuild @trt\/native/);
  });

  it("not a loadable binary: load-failed or abi-mismatch, with the loader's message", () => {
    const path = join(scratch, "garbage.node");
    writeFileSync(path, "not an ELF file");
    const probe = probeNative({ addonPath: path });
    expect(probe.ok).toBe(false);
    if (probe.ok) return;
    expect(["abi-mismatch", "load-failed"]).toContain(probe.reason);
    expect(probe.tried[0]).toContain(path);
  });

  it("default search order: package build, then prebuilds", () => {
    const paths = addonCandidates().map((c) => c.path);
    expect(paths[0]).toMatch(/build[/\\]Release[/\\]trt_native\.node$/);
    expect(paths[1]).toMatch(new RegExp(`prebuilds[/\\\\]${process.platform}-${process.arch}[/\\\\]trt_native\\.node$`));
  });
});

describe("libnvinfer", () => {
  const saved = process.env.TRT_NVINFER_PATH;
  afterEach(() => {
    if (saved === undefined) delete process.env.TRT_NVINFER_PATH;
    else process.env.TRT_NVINFER_PATH = saved;
  });

  it("not found: library-not-found, every path tried, and how to fix it", () => {
    const path = join(scratch, "libnvinfer.so.10");
    const err = (() => {
      try {
        loadNative({ nvinferPath: path });
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(NativeUnavailableError);
    const e = err as NativeUnavailableError;
    expect(e.reason).toBe("library-not-found");
    expect(e.tried).toHaveLength(1);
    expect(e.tried[0]).toContain(`${path} (option nvinferPath)`);
    expect(e.fix).toMatch(/TRT_NVINFER_PATH/);
    expect(e.message).toContain(path);
  });

  it("system loader search: libnvinfer.so.11 then libnvinfer.so.10", () => {
    delete process.env.TRT_NVINFER_PATH;
    const probe = probeNative();
    if (probe.ok) return; // a machine with TensorRT installed
    expect(probe.reason).toBe("library-not-found");
    expect(probe.tried[0]).toMatch(/^libnvinfer\.so\.11 \(system loader path\)/);
    expect(probe.tried[1]).toMatch(/^libnvinfer\.so\.10 \(system loader path\)/);
  });

  it("TRT_NVINFER_PATH is used when no option is given", () => {
    process.env.TRT_NVINFER_PATH = libraryPath(11);
    const probe = probeNative();
    expect(probe.ok).toBe(true);
    if (probe.ok) expect(probe.binding.backend.library.version.major).toBe(11);
    process.env.TRT_NVINFER_PATH = join(scratch, "missing.so");
    const bad = probeNative();
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.tried[0]).toContain("environment variable TRT_NVINFER_PATH");
  });

  it("a library that is not TensorRT: not-tensorrt", () => {
    const probe = probeNative({ nvinferPath: "libz.so.1" });
    expect(probe.ok).toBe(false);
    if (!probe.ok) expect(["not-tensorrt", "library-not-found"]).toContain(probe.reason);
  });

  // A stand-in library reporting a TensorRT major this build does not know.
  // Compiling starts a compiler (about 0.1 s alone): bounded for two busy cores, and killed
  // rather than left blocking the worker (spawnSync) if it hangs.
  const COMPILE_TIMEOUT_MS = 90_000;
  const compiler = ["cc", "gcc", "clang"].find((c) => spawnSync(c, ["--version"], { timeout: COMPILE_TIMEOUT_MS }).status === 0);
  it.runIf(compiler)("an unsupported major: unsupported-version, naming the supported ones", () => {
    const source = join(scratch, "fake.c");
    const lib = join(scratch, "libnvinfer.so.12");
    writeFileSync(
      source,
      "int getInferLibVersion(void) { return 120300; }\nvoid* createInferRuntime_INTERNAL(void* l, int v) { return 0; }\n",
    );
    expect(spawnSync(compiler as string, ["-shared", "-fPIC", "-o", lib, source], { timeout: COMPILE_TIMEOUT_MS }).status).toBe(0);
    const probe = probeNative({ nvinferPath: lib });
    expect(probe.ok).toBe(false);
    if (probe.ok) return;
    expect(probe.reason).toBe("unsupported-version");
    expect(probe.error.message).toMatch(/TensorRT 12 .*not supported.*10, 11/);
   }, 120_000);

  it.each(MAJORS)("loads the TensorRT %i emulator (host mode: no libcudart needed)", (major) => {
    const first = probeNative({ nvinferPath: libraryPath(major) });
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    const { library, memory } = first.binding.backend;
    expect(library.version.major).toBe(major);
    expect(library.emulator).toMatchObject({ mode: memory.mode, version: expect.any(String) });
    expect(JSON.parse(library.emulator?.info ?? "{}")).toMatchObject({ emulator: true, mode: memory.mode });
    const noCudart = probeNative({ nvinferPath: libraryPath(major), cudartPath: join(scratch, "no-cudart.so") });
    if (memory.mode === "host") {
      expect(noCudart.ok).toBe(true);
    } else {
      expect(noCudart.ok).toBe(false);
      if (!noCudart.ok) expect(noCudart.reason).toBe("cudart-not-found");
    }
  });
});
