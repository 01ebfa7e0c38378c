// The CUDA runtime calls the floor benchmark makes, resolved with dlsym so the
// program builds with a plain C++ compiler (no CUDA headers) and runs on
// machines without CUDA, where the emulator runs in host mode.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace floorbench {

using cudaError_t = int;  // cudaSuccess == 0
using cudaStream_t = void*;
using cudaEvent_t = void*;
using cudaGraph_t = void*;
using cudaGraphExec_t = void*;

struct CudaApi {
  // Values from the CUDA runtime API reference; stable across CUDA 12 and 13.
  static constexpr int kMemcpyHostToDevice = 1;
  static constexpr unsigned kStreamNonBlocking = 0x01;
  static constexpr int kCaptureModeThreadLocal = 1;

  cudaError_t (*malloc)(void** ptr, size_t size);
  cudaError_t (*free)(void* ptr);
  cudaError_t (*memcpy)(void* dst, const void* src, size_t count, int kind);
  cudaError_t (*memset)(void* ptr, int value, size_t count);
  cudaError_t (*streamCreateWithFlags)(cudaStream_t* stream, unsigned flags);
  cudaError_t (*streamDestroy)(cudaStream_t stream);
  cudaError_t (*streamSynchronize)(cudaStream_t stream);
  cudaError_t (*eventCreate)(cudaEvent_t* event);
  cudaError_t (*eventDestroy)(cudaEvent_t event);
  cudaError_t (*eventRecord)(cudaEvent_t event, cudaStream_t stream);
  cudaError_t (*eventElapsedTime)(float* ms, cudaEvent_t start, cudaEvent_t end);
  cudaError_t (*streamBeginCapture)(cudaStream_t stream, int mode);
  cudaError_t (*streamEndCapture)(cudaStream_t stream, cudaGraph_t* graph);
  cudaError_t (*graphInstantiate)(cudaGraphExec_t* exec, cudaGraph_t graph, unsigned long long flags);
  cudaError_t (*graphLaunch)(cudaGraphExec_t exec, cudaStream_t stream);
  cudaError_t (*graphExecDestroy)(cudaGraphExec_t exec);
  cudaError_t (*graphDestroy)(cudaGraph_t graph);
  const char* (*getErrorString)(cudaError_t error);
};

// libcudart.so.13, then .so.12 (or $TRT_CUDART_PATH); nullptr with `why` set
// when none loads or one lacks a symbol.
const CudaApi* LoadCudaApi(std::string& why);

// Aborts the benchmark with the CUDA error named (a benchmark that cannot
// measure what it claims must not print a number).
void CheckCuda(const CudaApi& cuda, cudaError_t status, const char* what);

}  // namespace floorbench
