// The library search against directory trees laid out like Python
// environments with NVIDIA's wheels installed (the emulator copied in under
// the real file names), with every environment variable passed explicitly.
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { SYSTEM_NAMES } from "./support/library-names.js";
import { describe, expect, it } from "vitest";
import { cudartCandidates, loadCudaRuntime } from "../src/device/cuda-runtime.js";
import { RuntimeUnavailableError } from "../src/errors/index.js";
import { libraryCandidates, loadTensorRT } from "../src/ffi/library.js";
import { prefixSitePackages, pythonSitePackages } from "../src/libraries/site-packages.js";
import { variantOf } from "../src/libraries/variant.js";
import { fakePython, installEmulatorAs, installJunkAs, noSystemTensorRT, searchInChild, sitePackagesOf } from "./support/fake-python-env.js";
import { useTempDir } from "./support/temp-dir.js";

const tmp = useTempDir();
const runs = (log: string): number => (existsSync(log) ? readFileSync(log, "utf8").split("\n").filter(Boolean).length : 0);
const describeCandidate = (c: { path: string; source: string; via: string | null }) => `${c.source}${c.via ? `:${c.via}` : ""} ${c.path}`;

describe("variants by file name", () => {
  it("tells the full, lean and dispatch runtimes apart", () => {
    expect(variantOf("/x/tensorrt_libs/libnvinfer.so.10")).toBe("full");
    expect(variantOf("libnvinfer.so.11")).toBe("full");
    expect(variantOf("/x/tensorrt_lean_libs/libnvinfer_lean.so.10")).toBe("lean");
    expect(variantOf("libnvinfer_dispatch.so.10")).toBe("dispatch");
    expect(variantOf("/opt/libnvinfer_lean_custom.so")).toBe("full");
  });
});

describe("site-packages from the environment variables", () => {
  it("VIRTUAL_ENV first, then CONDA_PREFIX, newest Python of each first, only directories that exist", () => {
    const venv = join(tmp.path, "venv");
    const conda = join(tmp.path, "conda");
    const venvSite = sitePackagesOf(venv, "python3.12");
    const conda13 = sitePackagesOf(conda, "python3.13t");
    const conda9 = sitePackagesOf(conda, "python3.9");
    mkdirSync(join(conda, "lib", "python3.14")); // no site-packages inside: skipped
    mkdirSync(join(conda, "lib", "pkgconfig"));
    expect(prefixSitePackages({ VIRTUAL_ENV: venv, CONDA_PREFIX: conda })).toEqual([
      { dir: venvSite, via: "VIRTUAL_ENV" },
      { dir: conda13, via: "CONDA_PREFIX" },
      { dir: conda9, via: "CONDA_PREFIX" },
    ]);
    expect(prefixSitePackages({ VIRTUAL_ENV: join(tmp.path, "missing") })).toEqual([]);
  });
});

describe("libnvinfer candidates", () => {
  it("after the system loader's names: the wheels' files, full before lean before dispatch, each in every site-packages", () => {
    const venv = join(tmp.path, "venv");
    const conda = join(tmp.path, "conda");
    const site = sitePackagesOf(venv);
    const condaSite = sitePackagesOf(conda, "python3.11");
    installEmulatorAs(site, "tensorrt_libs/libnvinfer.so.10");
    installEmulatorAs(site, "tensorrt_lean_libs/libnvinfer_lean.so.10");
    installEmulatorAs(site, "tensorrt_dispatch_libs/libnvinfer_dispatch.so.10");
    installEmulatorAs(condaSite, "tensorrt_libs/libnvinfer.so.11");
    installEmulatorAs(condaSite, "tensorrt_libs/libnvinfer.so.10");
    installEmulatorAs(site, "tensorrt_libs/libnvinfer_builder_resource.so.10.16.1"); // not a runtime: never listed
    const list = libraryCandidates({ env: { VIRTUAL_ENV: venv, CONDA_PREFIX: conda, TRT_PYTHON: "" } });
    expect(list.map(describeCandidate)).toEqual([
      "system-loader libnvinfer.so.11",
      "system-loader libnvinfer.so.10",
      `site-packages:VIRTUAL_ENV ${site}/tensorrt_libs/libnvinfer.so.10`,
      `site-packages:CONDA_PREFIX ${condaSite}/tensorrt_libs/libnvinfer.so.11`,
      `site-packages:CONDA_PREFIX ${condaSite}/tensorrt_libs/libnvinfer.so.10`,
      "system-loader libnvinfer_lean.so.11",
      "system-loader libnvinfer_lean.so.10",
      `site-packages:VIRTUAL_ENV ${site}/tensorrt_lean_libs/libnvinfer_lean.so.10`,
      "system-loader libnvinfer_dispatch.so.11",
      "system-loader libnvinfer_dispatch.so.10",
      `site-packages:VIRTUAL_ENV ${site}/tensorrt_dispatch_libs/libnvinfer_dispatch.so.10`,
    ]);
  });

  it("a path in TRT_NVINFER_PATH is the only candidate, wheels or not", () => {
    const venv = join(tmp.path, "venv");
    installEmulatorAs(sitePackagesOf(venv), "tensorrt_libs/libnvinfer.so.10");
    const list = libraryCandidates({ env: { VIRTUAL_ENV: venv, TRT_NVINFER_PATH: "/opt/trt/libnvinfer.so.10", TRT_PYTHON: "" } });
    expect(list.map(describeCandidate)).toEqual(["environment:TRT_NVINFER_PATH /opt/trt/libnvinfer.so.10"]);
  });
});

describe("libcudart candidates", () => {
  it("after libcudart.so.13 and .so.12: nvidia/cu13/lib (CUDA 13 wheels), then nvidia/cuda_runtime/lib (CUDA 12)", () => {
    const venv = join(tmp.path, "venv");
    const site = sitePackagesOf(venv);
    const cu13 = installJunkAs(site, "nvidia/cu13/lib/libcudart.so.13");
    const cu12 = installJunkAs(site, "nvidia/cuda_runtime/lib/libcudart.so.12");
    const env = { VIRTUAL_ENV: venv, TRT_PYTHON: "" };
    expect(cudartCandidates({ env }).map(describeCandidate)).toEqual([
      "system-loader libcudart.so.13",
      "system-loader libcudart.so.12",
      `site-packages:VIRTUAL_ENV ${cu13}`,
      `site-packages:VIRTUAL_ENV ${cu12}`,
    ]);
  });

  it.runIf(!existsSyncOnLoader("libcudart.so.13") && !existsSyncOnLoader("libcudart.so.12"))(
    "a wheel file that does not load is reported with where it came from",
    () => {
      const venv = join(tmp.path, "venv");
      const cu13 = installJunkAs(sitePackagesOf(venv), "nvidia/cu13/lib/libcudart.so.13");
      const error = (() => {
        try {
          loadCudaRuntime({ env: { VIRTUAL_ENV: venv, TRT_PYTHON: "" } });
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(RuntimeUnavailableError);
      const e = error as RuntimeUnavailableError;
      expect(e.pathsTried).toEqual(["libcudart.so.13", "libcudart.so.12", cu13]);
      expect(e.reason).toContain(`${cu13} (pip site-packages, via VIRTUAL_ENV): `);
      expect(e.fix).toMatch(/nvidia-cuda-runtime/);
    },
  );
});

describe("asking Python for its site-packages", () => {
  it("runs the interpreter once per process and uses what it reports, after the environment variables", () => {
    const log = join(tmp.path, "python.log");
    const reported = sitePackagesOf(join(tmp.path, "usr"), "python3.12");
    const lean = installEmulatorAs(reported, "tensorrt_lean_libs/libnvinfer_lean.so.10");
    const python = fakePython(tmp.path, "python-reports", { sitePackages: [reported, join(tmp.path, "absent")], log });
    const env = { TRT_PYTHON: python };
    const first = libraryCandidates({ env }).filter((c) => c.source === "site-packages");
    expect(first).toEqual([{ path: lean, source: "site-packages", via: python }]);
    expect(libraryCandidates({ env }).filter((c) => c.source === "site-packages")).toEqual(first);
    expect(cudartCandidates({ env }).filter((c) => c.source === "site-packages")).toEqual([]);
    expect(runs(log)).toBe(1);
  });

  it("is not asked when TRT_PYTHON is empty", () => {
    const log = join(tmp.path, "python.log");
    fakePython(tmp.path, "python3", { log });
    libraryCandidates({ env: { TRT_PYTHON: "", PATH: tmp.path } });
    expect(runs(log)).toBe(0);
  });

  // Loading must start from an empty process (see fixtures/search-child.ts); the child needs seconds.
  it.runIf(noSystemTensorRT)("is not asked when a library in $VIRTUAL_ENV loads", { timeout: 90_000 }, () => {
    const log = join(tmp.path, "python.log");
    const venv = join(tmp.path, "venv");
    const full = installEmulatorAs(sitePackagesOf(venv), "tensorrt_libs/libnvinfer.so.10");
    const python = fakePython(tmp.path, "python-unneeded", { log });
    expect(searchInChild({ mode: "load", env: { VIRTUAL_ENV: venv, TRT_PYTHON: python } })).toEqual({
      library: { path: full, variant: "full", major: 10 },
    });
    expect(runs(log)).toBe(0);
  });

  it("a missing interpreter, output that is not JSON, or a failing one: no directories, and the search goes on", () => {
    const log = join(tmp.path, "python.log");
    expect(pythonSitePackages(join(tmp.path, "no-such-python"))).toEqual([]);
    expect(pythonSitePackages(fakePython(tmp.path, "python-garbage", { output: "Python 2.7 says hello", log }))).toEqual([]);
    expect(paths(libraryCandidates({ env: { TRT_PYTHON: join(tmp.path, "no-such-python") } }))).toEqual(SYSTEM_NAMES);
  });

  // The stand-in sleeps 60 s; the search gives it 0.3 s, so this waits only for the timeout.
  it("an interpreter that hangs is given up on after the timeout", { timeout: 30_000 }, () => {
    const log = join(tmp.path, "python.log");
    const python = fakePython(tmp.path, "python-hangs", { sitePackages: [tmp.path], sleepSeconds: 60, log });
    expect(pythonSitePackages(python, 300)).toEqual([]);
    expect(runs(log)).toBe(1);
  });
});

// Each load starts from an empty process (see fixtures/search-child.ts), which takes seconds on a busy machine.
describe.runIf(noSystemTensorRT)("loading from site-packages (no TensorRT on the system loader's path)", { timeout: 90_000 }, () => {
  it("loads the full runtime where both the full and the lean runtime are installed", () => {
    const venv = join(tmp.path, "venv");
    const site = sitePackagesOf(venv);
    installEmulatorAs(site, "tensorrt_lean_libs/libnvinfer_lean.so.10");
    const full = installEmulatorAs(site, "tensorrt_libs/libnvinfer.so.10");
    expect(searchInChild({ mode: "load", env: { VIRTUAL_ENV: venv, TRT_PYTHON: "" } })).toEqual({
      library: { path: full, variant: "full", major: 10 },
    });
  });

  it("loads the lean runtime when it is the only one, and says so", () => {
    const conda = join(tmp.path, "conda");
    const lean = installEmulatorAs(sitePackagesOf(conda), "tensorrt_lean_libs/libnvinfer_lean.so.10");
    expect(searchInChild({ mode: "load", env: { CONDA_PREFIX: conda, TRT_PYTHON: "" } })).toEqual({
      library: { path: lean, variant: "lean", major: 10 },
    });
  });

  it("skips a wheel file that does not load, and names it with its origin when nothing loads", () => {
    const venv = join(tmp.path, "venv");
    const junk = installJunkAs(sitePackagesOf(venv), "tensorrt_libs/libnvinfer.so.10");
    const { error } = searchInChild({ mode: "load", env: { VIRTUAL_ENV: venv, TRT_PYTHON: "" } }) as {
      error: { kind: string; pathsTried: string[]; reason: string; fix: string };
    };
    expect(error.kind).toBe("unavailable");
    expect(error.pathsTried).toEqual([...SYSTEM_NAMES.slice(0, 2), junk, ...SYSTEM_NAMES.slice(2)]);
    expect(error.reason).toContain(`${junk} (pip site-packages, via VIRTUAL_ENV): `);
    expect(error.fix).toMatch(/pip install tensorrt-cu13/);
  });
});

describe("the lean runtime named explicitly", () => {
  it("loads through TRT_NVINFER_PATH, with its variant recorded", () => {
    const lean = installEmulatorAs(tmp.path, "libnvinfer_lean.so.10");
    const lib = loadTensorRT({ env: { TRT_NVINFER_PATH: lean, TRT_PYTHON: "" } });
    expect(lib.info).toMatchObject({ path: lean, variant: "lean", version: { major: 10 } });
  });

  it("loads through the path option", () => {
    const dispatch = installEmulatorAs(tmp.path, "libnvinfer_dispatch.so.10");
    expect(loadTensorRT({ path: dispatch }).info.variant).toBe("dispatch");
  });
});


function paths(list: readonly { path: string }[]): string[] {
  return list.map((c) => c.path);
}

/** Whether the system loader can open `soname` here (a machine with CUDA installed). */
function existsSyncOnLoader(soname: string): boolean {
  try {
    loadCudaRuntime({ path: soname });
    return true;
  } catch {
    return false;
  }
}
