/**
 * libcudart through koffi: loading (the shared search order of
 * ../libraries/candidates.ts: explicit path or TRT_CUDART_PATH alone, else
 * libcudart.so.13 then .so.12 through the system loader, then the CUDA
 * runtime's pip wheels) and the functions the device layer uses, declared
 * once. Only the functions below are bound; nothing here depends on a CUDA
 * header or on the cudaDeviceProp layout beyond its stable prefix (see
 * CudaDevice.properties).
 */
import koffi from "koffi";
import type { LibraryHandle } from "koffi";
import { trt10 } from "../abi/tables.generated.js";
import { RuntimeUnavailableError } from "../errors/index.js";
import { CUDART_PATH_ENV, CUDART_SEARCH, describeOrigin, listCandidates, searchCandidates, searchKey } from "../libraries/candidates.js";
import type { LibraryCandidate, LibrarySearchOptions } from "../libraries/candidates.js";
import { summarizeFailures } from "../libraries/failures.js";
import type { CandidateFailure } from "../libraries/failures.js";

export { CUDART_PATH_ENV };

/** Every exported function is `cudaError_t f(...)`: 0 on success. */
type CudaFn = (...args: unknown[]) => number;
type AsyncFn = CudaFn & { async: (...args: unknown[]) => void };

/** The bound CUDA runtime entry points. Pointers and handles are numbers (uintptr_t); out-parameters are 1-element typed arrays. */
export interface CudaRuntimeApi {
  readonly path: string;
  readonly handle: LibraryHandle;
  readonly cudaGetErrorName: (status: number) => string | null;
  readonly cudaGetErrorString: (status: number) => string | null;
  readonly cudaRuntimeGetVersion: CudaFn;
  readonly cudaDriverGetVersion: CudaFn;
  readonly cudaGetDeviceCount: CudaFn;
  readonly cudaSetDevice: CudaFn;
  readonly cudaGetDevice: CudaFn;
  readonly cudaDeviceGetAttribute: CudaFn;
  readonly cudaGetDeviceProperties: CudaFn;
  readonly cudaMemGetInfo: CudaFn;
  readonly cudaMallocAsync: CudaFn;
  readonly cudaFreeAsync: CudaFn;
  readonly cudaMallocHost: CudaFn;
  readonly cudaFreeHost: CudaFn;
  readonly cudaHostRegister: CudaFn;
  readonly cudaHostUnregister: CudaFn;
  readonly cudaMemsetAsync: CudaFn;
  readonly cudaMemcpyAsyncFromJs: CudaFn;
  readonly cudaMemcpyAsyncToJs: CudaFn;
  readonly cudaMemcpyAsync: CudaFn;
  readonly cudaMemcpyFromJs: CudaFn;
  readonly cudaMemcpyToJs: CudaFn;
  readonly cudaMemcpy: CudaFn;
  readonly cudaStreamCreateWithFlags: CudaFn;
  readonly cudaStreamDestroy: CudaFn;
  readonly cudaStreamSynchronize: AsyncFn;
  readonly cudaStreamQuery: CudaFn;
  readonly cudaEventCreateWithFlags: CudaFn;
  readonly cudaEventDestroy: CudaFn;
  readonly cudaEventRecord: CudaFn;
  readonly cudaEventQuery: CudaFn;
  readonly cudaEventSynchronize: AsyncFn;
  readonly cudaEventElapsedTime: CudaFn;
  /** cudaStreamWaitEvent(stream, event, flags): later work on `stream` waits for `event`'s latest record. */
  readonly cudaStreamWaitEvent: CudaFn;
  /** cudaLaunchHostFunc(stream, fn, userData): `fn` is a C function's address (see loop-wakeup.ts). */
  readonly cudaLaunchHostFunc: CudaFn;
  readonly cudaStreamBeginCapture: CudaFn;
  readonly cudaStreamEndCapture: CudaFn;
  readonly cudaGraphInstantiate: CudaFn;
  readonly cudaGraphLaunch: CudaFn;
  readonly cudaGraphDestroy: CudaFn;
  readonly cudaGraphExecDestroy: CudaFn;
}

/** An explicit path (tried alone), else TRT_CUDART_PATH (alone), else the system loader, then pip wheels. */
export type CudaLoadOptions = LibrarySearchOptions;

let cached: Map<string, CudaRuntimeApi> | null = null;

/** Every libcudart candidate in search order (runs Python when no environment variable names site-packages). */
export function cudartCandidates(options: CudaLoadOptions = {}): LibraryCandidate[] {
  return listCandidates(CUDART_SEARCH, options);
}

/** Loads libcudart; RuntimeUnavailableError listing what was tried, and where it came from, when none loads. */
export function loadCudaRuntime(options: CudaLoadOptions = {}): CudaRuntimeApi {
  const key = searchKey(CUDART_SEARCH, options);
  const known = chosen.get(key);
  if (known) return known;
  const api = searchCudaRuntime(options);
  chosen.set(key, api);
  return api;
}

/** The library each search chose (see searchKey): later searches with the same inputs get the same one. */
const chosen = new Map<string, CudaRuntimeApi>();

function searchCudaRuntime(options: CudaLoadOptions): CudaRuntimeApi {
  cached ??= new Map();
  const tried: string[] = [];
  const failures: CandidateFailure[] = [];
  for (const candidate of searchCandidates(CUDART_SEARCH, options)) {
    const { path } = candidate;
    tried.push(path);
    const hit = cached.get(path);
    if (hit) return hit;
    try {
      const api = bind(path, koffi.load(path));
      cached.set(path, api);
      return api;
    } catch (error) {
      failures.push({ path, origin: describeOrigin(candidate), reason: error instanceof Error ? error.message : String(error) });
    }
  }
  throw new RuntimeUnavailableError({
    component: "cuda",
    expected: `the CUDA runtime library (${trt10.cudaRuntime.join(" or ")})`,
    reason: summarizeFailures(failures),
    fix:
      "Install the CUDA runtime that your TensorRT needs where the system loader finds it (LD_LIBRARY_PATH or ldconfig), " +
      `or its pip wheel in the active Python environment (nvidia-cuda-runtime), or set ${CUDART_PATH_ENV} to the full path of libcudart.so.N.`,
    pathsTried: tried,
  });
}

function bind(path: string, lib: LibraryHandle): CudaRuntimeApi {
  const P = "uintptr_t";
  const f = (name: string, params: string[], symbol = name) => lib.func(symbol, "int", params) as unknown as AsyncFn;
  // CUDA 12 headers map cudaGetDeviceProperties to the _v2 symbol (larger struct); CUDA 13 exports the plain name again.
  const getProps = (() => {
    try {
      return f("cudaGetDeviceProperties", ["void*", "int"], "cudaGetDeviceProperties_v2");
    } catch {
      return f("cudaGetDeviceProperties", ["void*", "int"]);
    }
  })();
  return {
    path,
    handle: lib,
    cudaGetErrorName: lib.func("cudaGetErrorName", "const char*", ["int"]) as (s: number) => string | null,
    cudaGetErrorString: lib.func("cudaGetErrorString", "const char*", ["int"]) as (s: number) => string | null,
    cudaRuntimeGetVersion: f("cudaRuntimeGetVersion", ["int*"]),
    cudaDriverGetVersion: f("cudaDriverGetVersion", ["int*"]),
    cudaGetDeviceCount: f("cudaGetDeviceCount", ["int*"]),
    cudaSetDevice: f("cudaSetDevice", ["int"]),
    cudaGetDevice: f("cudaGetDevice", ["int*"]),
    cudaDeviceGetAttribute: f("cudaDeviceGetAttribute", ["int*", "int", "int"]),
    cudaGetDeviceProperties: getProps,
    cudaMemGetInfo: f("cudaMemGetInfo", ["uint64_t*", "uint64_t*"]),
    cudaMallocAsync: f("cudaMallocAsync", ["uint64_t*", "size_t", P]),
    cudaFreeAsync: f("cudaFreeAsync", [P, P]),
    cudaMallocHost: f("cudaMallocHost", ["uint64_t*", "size_t"]),
    cudaFreeHost: f("cudaFreeHost", [P]),
    // JS memory (a SharedArrayBuffer's view, say): koffi passes the address of its bytes.
    cudaHostRegister: f("cudaHostRegister", ["void*", "size_t", "uint32_t"]),
    cudaHostUnregister: f("cudaHostUnregister", ["void*"]),
    cudaMemsetAsync: f("cudaMemsetAsync", [P, "int", "size_t", P]),
    // Three views of cudaMemcpy(Async): JS memory as source, JS memory as destination, or two addresses.
    cudaMemcpyAsyncFromJs: f("cudaMemcpyAsync", [P, "const void*", "size_t", "int", P]),
    cudaMemcpyAsyncToJs: f("cudaMemcpyAsync", ["void*", P, "size_t", "int", P]),
    cudaMemcpyAsync: f("cudaMemcpyAsync", [P, P, "size_t", "int", P]),
    cudaMemcpyFromJs: f("cudaMemcpy", [P, "const void*", "size_t", "int"]),
    cudaMemcpyToJs: f("cudaMemcpy", ["void*", P, "size_t", "int"]),
    cudaMemcpy: f("cudaMemcpy", [P, P, "size_t", "int"]),
    cudaStreamCreateWithFlags: f("cudaStreamCreateWithFlags", ["uint64_t*", "uint32_t"]),
    cudaStreamDestroy: f("cudaStreamDestroy", [P]),
    cudaStreamSynchronize: f("cudaStreamSynchronize", [P]),
    cudaStreamQuery: f("cudaStreamQuery", [P]),
    cudaEventCreateWithFlags: f("cudaEventCreateWithFlags", ["uint64_t*", "uint32_t"]),
    cudaEventDestroy: f("cudaEventDestroy", [P]),
    cudaEventRecord: f("cudaEventRecord", [P, P]),
    cudaEventQuery: f("cudaEventQuery", [P]),
    cudaEventSynchronize: f("cudaEventSynchronize", [P]),
    cudaEventElapsedTime: f("cudaEventElapsedTime", ["float*", P, P]),
    cudaStreamWaitEvent: f("cudaStreamWaitEvent", [P, P, "uint32_t"]),
    cudaLaunchHostFunc: f("cudaLaunchHostFunc", [P, P, P]),
    cudaStreamBeginCapture: f("cudaStreamBeginCapture", [P, "int"]),
    cudaStreamEndCapture: f("cudaStreamEndCapture", [P, "uint64_t*"]),
    // CUDA 12+ signature: (cudaGraphExec_t*, cudaGraph_t, unsigned long long flags).
    cudaGraphInstantiate: f("cudaGraphInstantiate", ["uint64_t*", P, "uint64_t"]),
    cudaGraphLaunch: f("cudaGraphLaunch", [P, P]),
    cudaGraphDestroy: f("cudaGraphDestroy", [P]),
    cudaGraphExecDestroy: f("cudaGraphExecDestroy", [P]),
  };
}
