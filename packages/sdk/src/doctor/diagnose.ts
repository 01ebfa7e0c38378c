/**
 * `trt doctor`'s verdict: runs every probe, then works out what can run here
 * (which engine implementation `auto` would pick, which device layer), and
 * what to install for what is missing. Everything is derived from what the
 * probes observed, so the report cannot claim a GPU or a TensorRT that did
 * not load; the emulator is always named as the emulator.
 */
import { describeVariant, engineHostCodeAllowed } from "@trt/runtime/advanced";
import { probeCuda } from "./probe-cuda.js";
import { probeEmulator } from "./probe-emulator.js";
import type { EmulatorFinding } from "./probe-emulator.js";
import type { CudaFinding } from "./probe-cuda.js";
import { probeFfi } from "./probe-ffi.js";
import type { FfiFinding } from "./probe-ffi.js";
import { probeNativeEngine } from "./probe-native.js";
import type { NativeFinding } from "./probe-native.js";
import { probePlugins } from "./probe-plugins.js";
import type { PluginFinding } from "./probe-plugins.js";
import { probeTensorRT } from "./probe-tensorrt.js";
import type { TensorRTFinding } from "./probe-tensorrt.js";

/** Where the library paths came from, so the report can say which setting chose them. */
export interface DoctorInputs {
  readonly nvinferPath?: string;
  readonly cudartPath?: string;
  /** --allow-engine-host-code; unset: TRT_ALLOW_ENGINE_HOST_CODE decides. */
  readonly allowEngineHostCode?: boolean;
  /** --plugin; unset or empty: TRT_PLUGIN_PATHS decides. */
  readonly plugins?: readonly string[];
  readonly sdkVersion: string;
}

/** Everything `trt doctor --json` prints. */
export interface DoctorReport {
  readonly sdk: string;
  readonly node: { readonly version: string; readonly platform: string; readonly arch: string };
  readonly settings: {
    readonly nvinferPath: string | null;
    readonly cudartPath: string | null;
    readonly runtime: string | null;
    /** Whether engines that carry host code would be deserialized (the option, else TRT_ALLOW_ENGINE_HOST_CODE). */
    readonly allowEngineHostCode: boolean;
  };
  readonly tensorrt: TensorRTFinding;
  readonly cuda: CudaFinding;
  readonly ffi: FfiFinding & { readonly available: boolean; readonly reason: string | null };
  readonly native: NativeFinding;
  /** What the plugin registry holds once TensorRT's plugin library and the named ones load; null when no engine implementation loads. */
  readonly plugins: PluginFinding | null;
  /** The project's TensorRT emulator, where this installation can reach it (a checkout of the repository). */
  readonly emulator: EmulatorFinding;
  /** What `--runtime auto` resolves to here, or null when neither implementation can load. */
  readonly auto: "native" | "ffi" | null;
  /** The device layer engines would run on: "host" (the emulator's host stand-in), "cuda", or null. */
  readonly device: "host" | "cuda" | null;
  /** An engine can be loaded and run here. */
  readonly ready: boolean;
  /** One line per problem: what is missing and what to install or set. */
  readonly advice: readonly string[];
}

function adviceFor(r: Omit<DoctorReport, "advice" | "ready">): string[] {
  const out: string[] = [];
  const { tensorrt, cuda, native, ffi } = r;
  if (!tensorrt.found) {
    out.push(
      "TensorRT: install TensorRT 10 or 11's runtime library (libnvinfer.so.10 / .so.11): NVIDIA's libnvinfer10 package or the TensorRT tar archive " +
        "where the system loader finds it (ldconfig or LD_LIBRARY_PATH), or the tensorrt pip wheels in the active Python environment (pip install tensorrt-cu13), " +
        "or point TRT_NVINFER_PATH / --nvinfer at the file.",
    );
  } else if (tensorrt.emulator) {
    out.push(
      "TensorRT: the library loaded is the project's TensorRT emulator, not TensorRT: it runs only emulator plans (tools/emulator), and its timings say nothing about TensorRT. " +
        "Unset TRT_NVINFER_PATH (or --nvinfer) to use an installed TensorRT.",
    );
  }
  if (tensorrt.variant && tensorrt.variant !== "full") {
    out.push(
      `TensorRT: the library that would be used is the ${describeVariant(tensorrt.variant)}. ` +
        "To run other engines, install the full runtime (libnvinfer.so.N: tensorrt-cu13-libs, or NVIDIA's libnvinfer package); it is preferred wherever it is found.",
    );
  }
  // Real TensorRT (found or still to be installed) needs a GPU; only the emulator in host mode does not.
  const needsCuda = !(tensorrt.emulator?.mode === "host");
  if (needsCuda) {
    if (!cuda.driver.found) out.push("CUDA: no NVIDIA driver found; install the NVIDIA driver for your GPU (a GPU is required to run TensorRT engines).");
    if (!cuda.runtime.found) {
      out.push(
        "CUDA: install the CUDA runtime your TensorRT was built against (libcudart.so.13 or .so.12: the CUDA toolkit, the cuda-cudart package, " +
          "or the nvidia-cuda-runtime pip wheel), or point TRT_CUDART_PATH / --cudart at it.",
      );
    } else if (cuda.gpus.length === 0 && cuda.driver.found) {
      out.push(`CUDA: the driver is present but no GPU is usable (${cuda.gpuError ?? "no devices"}); check nvidia-smi and CUDA_VISIBLE_DEVICES.`);
    }
  }
  const plugins = r.plugins;
  if (plugins?.error) out.push(`Plugins: ${plugins.error.message}`);
  if (plugins && plugins.standard.path === null && tensorrt.variant === "full") {
    out.push(
      `Plugins: TensorRT's plugin library was not loaded (${plugins.standard.reason ?? "not found"}), so engines with TensorRT's standard plugins (EfficientNMS_TRT and the like) fail with PLUGIN_NOT_FOUND; ` +
        "install it with TensorRT (the tar archive's lib/ or the tensorrt-cu13-libs wheel put it beside libnvinfer) or set TRT_NVINFER_PLUGIN_PATH.",
    );
  }
  if (!ffi.koffi.loaded) out.push(`ffi: koffi does not load (${ffi.koffi.error}); reinstall it (npm rebuild koffi) or use a platform koffi ships binaries for.`);
  if (!native.installed) {
    out.push("native (optional): @trt/native is not installed; install it for the C++ engine implementation (it builds with cmake and a C++17 compiler). The ffi implementation works without it.");
  } else if (!native.available && native.reason === "binary-missing") {
    out.push("native (optional): @trt/native is installed but its addon is not built; rebuild it (npm rebuild @trt/native) with cmake and a C++17 compiler on PATH, or set TRT_NATIVE_ADDON_PATH.");
  } else if (!native.available && native.reason === "abi-mismatch") {
    out.push("native (optional): the addon was built for another Node-API, platform or package version; rebuild it (npm rebuild @trt/native).");
  }
  return out;
}

/** Runs the probes and assembles the report. */
export async function diagnose(inputs: DoctorInputs, runtimeSetting: string | null): Promise<DoctorReport> {
  const tensorrt = probeTensorRT(inputs.nvinferPath);
  const cuda = probeCuda(inputs.cudartPath);
  const ffiFinding = await probeFfi();
  // The native engine is handed the files the search chose, as the runtime does; with none found, the addon reports its own search.
  const emulator = await probeEmulator();
  const native = await probeNativeEngine(tensorrt.found ? tensorrt.path : inputs.nvinferPath, cuda.runtime.found ? cuda.runtime.path : inputs.cudartPath);
  const ffiAvailable = ffiFinding.koffi.loaded && tensorrt.found;
  const ffi = {
    ...ffiFinding,
    available: ffiAvailable,
    reason: ffiAvailable ? null : !ffiFinding.koffi.loaded ? "koffi does not load" : "libnvinfer not found",
  };
  const auto = native.available ? "native" : ffiAvailable ? "ffi" : null;
  // The runtime's rule (selectDevice): the emulator in host mode runs on the host; anything else needs a CUDA device.
  const device = tensorrt.emulator?.mode === "host" ? "host" : cuda.gpus.length > 0 ? "cuda" : null;
  const plugins = auto !== null && tensorrt.found ? probePlugins(tensorrt.path!, inputs.plugins, auto) : null;
  const partial = {
    sdk: inputs.sdkVersion,
    node: { version: process.version, platform: process.platform, arch: process.arch },
    settings: {
      nvinferPath: inputs.nvinferPath ?? process.env.TRT_NVINFER_PATH ?? null,
      cudartPath: inputs.cudartPath ?? process.env.TRT_CUDART_PATH ?? null,
      runtime: runtimeSetting,
      allowEngineHostCode: engineHostCodeAllowed(inputs.allowEngineHostCode, process.env),
    },
    tensorrt,
    cuda,
    ffi,
    native,
    plugins,
    emulator,
    auto,
    device,
  } as const;
  // A plugin library the user named that does not load keeps their engines from loading.
  return { ...partial, ready: auto !== null && device !== null && !plugins?.error, advice: adviceFor(partial) };
}
