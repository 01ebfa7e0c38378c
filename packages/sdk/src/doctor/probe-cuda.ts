/**
 * `trt doctor`'s look at CUDA: the NVIDIA driver (its /proc entry and
 * libcuda.so.1), every CUDA runtime library candidate of the runtime's search
 * order (each loaded, with its version; the first that loads is the one used),
 * and the GPUs that one reports. On a machine without a GPU every part says
 * so instead of failing.
 */
import { readFileSync } from "node:fs";
import { CudaDevice, cudartCandidates, loadCudaRuntime } from "@trt/runtime/advanced";
import type { DeviceProperties } from "@trt/runtime";
import type { CudaRuntimeApi } from "@trt/runtime/advanced";
import koffi from "koffi";
import { loadedPathOf, mappedFiles } from "./loaded-path.js";
import { failureOf, originOf, resolvedPathOf, searchOptions } from "./probe-tensorrt.js";
import type { LibraryAttempt } from "./probe-tensorrt.js";

/** What doctor found about CUDA. */
export interface CudaFinding {
  readonly driver: {
    readonly found: boolean;
    /** The first line of /proc/driver/nvidia/version, when present. */
    readonly kernelModule: string | null;
    /** Where libcuda.so.1 resolved, or why it did not load. */
    readonly library: string | null;
    readonly error: string | null;
  };
  readonly runtime: {
    readonly found: boolean;
    /** Every candidate in search order, each loaded (or not) and marked `used` for the first that loads. */
    readonly candidates: readonly LibraryAttempt[];
    readonly path?: string;
    readonly resolvedPath?: string | null;
    /** "13.0" from cudaRuntimeGetVersion. */
    readonly version?: string;
    /** The driver's CUDA version from cudaDriverGetVersion; null without a driver (it reports 0). */
    readonly driverVersion?: string | null;
  };
  readonly gpus: readonly DeviceProperties[];
  /** Why no GPU is listed, when none is. */
  readonly gpuError: string | null;
}

const cudaVersion = (v: number): string => `${Math.floor(v / 1000)}.${Math.floor((v % 1000) / 10)}`;

function probeDriver(): CudaFinding["driver"] {
  let kernelModule: string | null = null;
  try {
    kernelModule = readFileSync("/proc/driver/nvidia/version", "utf8").split("\n")[0]!.trim();
  } catch {
    // No NVIDIA kernel module loaded (or not Linux).
  }
  try {
    koffi.load("libcuda.so.1");
    return { found: true, kernelModule, library: loadedPathOf("libcuda.so.1") ?? "libcuda.so.1", error: null };
  } catch (e) {
    return { found: kernelModule !== null, kernelModule, library: null, error: e instanceof Error ? e.message : String(e) };
  }
}

/** Probes the driver, then every libcudart candidate in order, then the devices the first loadable one reports. */
export function probeCuda(cudartPath: string | undefined): CudaFinding {
  const driver = probeDriver();
  const candidates: LibraryAttempt[] = [];
  let used: { api: CudaRuntimeApi; attempt: LibraryAttempt } | null = null;
  for (const c of cudartCandidates(searchOptions(cudartPath))) {
    const base = { candidate: c.path, source: c.source, origin: originOf(c, "--cudart") };
    const before = mappedFiles();
    let api: CudaRuntimeApi;
    try {
      api = loadCudaRuntime({ path: c.path });
    } catch (e) {
      candidates.push({ ...base, error: failureOf(c.path, e), version: null, resolvedPath: null, used: false });
      continue;
    }
    const out = new Int32Array(1);
    const version = api.cudaRuntimeGetVersion(out) === 0 ? cudaVersion(out[0]!) : "unknown";
    const attempt: LibraryAttempt = { ...base, error: null, version, resolvedPath: resolvedPathOf(c.path, before), used: used === null };
    candidates.push(attempt);
    used ??= { api, attempt };
  }
  if (!used) return { driver, runtime: { found: false, candidates }, gpus: [], gpuError: "no CUDA runtime library loaded" };
  const { api, attempt } = used;
  const out = new Int32Array(1);
  const driverVersion = api.cudaDriverGetVersion(out) === 0 ? (out[0] === 0 ? null : cudaVersion(out[0]!)) : "unknown";
  const runtime = { found: true, candidates, path: attempt.candidate, resolvedPath: attempt.resolvedPath, version: attempt.version ?? "unknown", driverVersion };
  const status = api.cudaGetDeviceCount(out);
  if (status !== 0) {
    return { driver, runtime, gpus: [], gpuError: `cudaGetDeviceCount: ${api.cudaGetErrorName(status) ?? status} (${api.cudaGetErrorString(status) ?? "no description"})` };
  }
  const device = new CudaDevice({ path: attempt.candidate });
  const gpus = Array.from({ length: out[0]! }, (_, i) => device.properties(i));
  return { driver, runtime, gpus, gpuError: gpus.length === 0 ? "cudaGetDeviceCount reports 0 devices" : null };
}
