#include "cudart.h"

#include <mutex>

#include "dl_search.h"
#include "trt_abi.generated.h"

namespace trtn {
namespace {

template <class Fn>
bool Resolve(void* handle, const char* name, Fn& out, std::string* missing) {
  out = reinterpret_cast<Fn>(DlSymbol(handle, name));
  if (out == nullptr && missing->empty()) *missing = name;
  return out != nullptr;
}

}  // namespace

CudartLookup OpenCudart(const std::string& explicitPath) {
  DlSearch search;
  search.what = "libcudart";
  search.explicitPath = explicitPath;
  search.optionName = "cudartPath";
  search.envVar = "TRT_CUDART_PATH";
  for (const char* name : trt_abi::V10::kCudaRuntimeFiles) search.names.emplace_back(name);

  CudartLookup result;
  DlResult found = DlOpenFirst(search);
  result.tried = found.tried;
  if (found.handle == nullptr) return result;

  // One Cudart per library path for the process; repeated opens reuse it.
  static std::mutex mu;
  static std::vector<Cudart*> loaded;
  std::lock_guard<std::mutex> lock(mu);
  for (Cudart* c : loaded) {
    if (c->path == found.path) {
      result.cudart = c;
      return result;
    }
  }

  auto* c = new Cudart();
  c->path = found.path;
  std::string missing;
  void* h = found.handle;
  Resolve(h, "cudaMallocAsync", c->mallocAsync, &missing);
  Resolve(h, "cudaFreeAsync", c->freeAsync, &missing);
  Resolve(h, "cudaMemcpyAsync", c->memcpyAsync, &missing);
  Resolve(h, "cudaStreamCreateWithFlags", c->streamCreateWithFlags, &missing);
  Resolve(h, "cudaStreamDestroy", c->streamDestroy, &missing);
  Resolve(h, "cudaStreamSynchronize", c->streamSynchronize, &missing);
  Resolve(h, "cudaGetDevice", c->getDevice, &missing);
  Resolve(h, "cudaSetDevice", c->setDevice, &missing);
  Resolve(h, "cudaDeviceGetDefaultMemPool", c->deviceGetDefaultMemPool, &missing);
  Resolve(h, "cudaMemPoolSetAttribute", c->memPoolSetAttribute, &missing);
  Resolve(h, "cudaGetErrorName", c->getErrorName, &missing);
  Resolve(h, "cudaGetErrorString", c->getErrorString, &missing);
  if (!missing.empty()) {
    result.error = found.path + " has no symbol " + missing + " (CUDA 11.2 or newer is required)";
    delete c;
    return result;
  }
  loaded.push_back(c);
  result.cudart = c;
  return result;
}

}  // namespace trtn
