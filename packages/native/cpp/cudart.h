// The few CUDA runtime functions this addon calls, declared with C types and
// resolved from libcudart with dlsym, so building needs no CUDA headers and a
// machine without CUDA can still load the addon (and run the host emulator).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace trtn {

using cudaError_t = int;  // cudaSuccess == 0
using cudaStream_t = void*;
using cudaMemPool_t = void*;

struct Cudart {
  std::string path;
  // Values of cudaMemcpyKind / stream flags / cudaMemPoolAttr used here; stable
  // across CUDA 12 and 13.
  static constexpr int kMemcpyHostToDevice = 1;
  static constexpr int kMemcpyDeviceToHost = 2;
  static constexpr int kMemcpyDeviceToDevice = 3;
  static constexpr unsigned kStreamNonBlocking = 0x01;
  static constexpr int kMemPoolAttrReleaseThreshold = 4;

  cudaError_t (*mallocAsync)(void** ptr, size_t size, cudaStream_t stream);
  cudaError_t (*freeAsync)(void* ptr, cudaStream_t stream);
  cudaError_t (*memcpyAsync)(void* dst, const void* src, size_t count, int kind, cudaStream_t stream);
  cudaError_t (*streamCreateWithFlags)(cudaStream_t* stream, unsigned flags);
  cudaError_t (*streamDestroy)(cudaStream_t stream);
  cudaError_t (*streamSynchronize)(cudaStream_t stream);
  cudaError_t (*getDevice)(int* device);
  cudaError_t (*setDevice)(int device);
  cudaError_t (*deviceGetDefaultMemPool)(cudaMemPool_t* pool, int device);
  cudaError_t (*memPoolSetAttribute)(cudaMemPool_t pool, int attr, void* value);
  const char* (*getErrorName)(cudaError_t error);
  const char* (*getErrorString)(cudaError_t error);
};

struct CudartLookup {
  const Cudart* cudart = nullptr;  // process lifetime
  std::vector<std::string> tried;
  std::string error;  // set when a library loaded but lacked a symbol
};

// Search: `explicitPath`, else $TRT_CUDART_PATH, else the sonames
// libcudart.so.13 then libcudart.so.12 (from the generated ABI header).
CudartLookup OpenCudart(const std::string& explicitPath);

}  // namespace trtn
