#include "cuda_api.h"

#include <dlfcn.h>

#include <cstdio>
#include <cstdlib>

namespace floorbench {

namespace {

template <class Fn>
bool Resolve(void* handle, const char* symbol, Fn& out, std::string& why) {
  out = reinterpret_cast<Fn>(dlsym(handle, symbol));
  if (out == nullptr && why.empty()) why = std::string("missing symbol ") + symbol;
  return out != nullptr;
}

}  // namespace

const CudaApi* LoadCudaApi(std::string& why) {
  const char* explicitPath = std::getenv("TRT_CUDART_PATH");
  const char* candidates[] = {explicitPath, "libcudart.so.13", "libcudart.so.12"};
  void* handle = nullptr;
  for (const char* name : candidates) {
    if (name == nullptr || *name == '\0') continue;
    handle = dlopen(name, RTLD_NOW | RTLD_LOCAL);
    if (handle != nullptr) break;
  }
  if (handle == nullptr) {
    why = "libcudart.so.13 / .so.12 not found";
    return nullptr;
  }
  static CudaApi api{};
  why.clear();
  Resolve(handle, "cudaMalloc", api.malloc, why);
  Resolve(handle, "cudaFree", api.free, why);
  Resolve(handle, "cudaMemcpy", api.memcpy, why);
  Resolve(handle, "cudaMemset", api.memset, why);
  Resolve(handle, "cudaStreamCreateWithFlags", api.streamCreateWithFlags, why);
  Resolve(handle, "cudaStreamDestroy", api.streamDestroy, why);
  Resolve(handle, "cudaStreamSynchronize", api.streamSynchronize, why);
  Resolve(handle, "cudaEventCreate", api.eventCreate, why);
  Resolve(handle, "cudaEventDestroy", api.eventDestroy, why);
  Resolve(handle, "cudaEventRecord", api.eventRecord, why);
  Resolve(handle, "cudaEventElapsedTime", api.eventElapsedTime, why);
  Resolve(handle, "cudaStreamBeginCapture", api.streamBeginCapture, why);
  Resolve(handle, "cudaStreamEndCapture", api.streamEndCapture, why);
  Resolve(handle, "cudaGraphInstantiate", api.graphInstantiate, why);
  Resolve(handle, "cudaGraphLaunch", api.graphLaunch, why);
  Resolve(handle, "cudaGraphExecDestroy", api.graphExecDestroy, why);
  Resolve(handle, "cudaGraphDestroy", api.graphDestroy, why);
  Resolve(handle, "cudaGetErrorString", api.getErrorString, why);
  return why.empty() ? &api : nullptr;
}

void CheckCuda(const CudaApi& cuda, cudaError_t status, const char* what) {
  if (status == 0) return;
  std::fprintf(stderr, "floor: %s failed: %s (%d)\n", what, cuda.getErrorString(status), status);
  std::exit(2);
}

}  // namespace floorbench
