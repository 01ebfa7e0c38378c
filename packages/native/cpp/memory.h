// Device memory and streams for the runtime above: a stream-ordered pool on
// CUDA (cudaMallocAsync on the device's default memory pool, kept warm by a
// release threshold), and an aligned host allocator when the loaded library is
// the emulator in host mode (there "device" pointers are host pointers and
// streams are tokens the emulator ignores). Both raise Failures, never abort.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_set>

#include "cudart.h"
#include "errors.h"

namespace trtn {

enum class CopyKind { kHostToDevice, kDeviceToHost, kDeviceToDevice };

class DeviceMemory {
 public:
  virtual ~DeviceMemory() = default;
  virtual const char* Mode() const = 0;  // "cuda" | "host"
  virtual void* Alloc(size_t bytes, void* stream) = 0;
  virtual void Free(void* address, void* stream) = 0;
  virtual void Copy(void* dst, const void* src, size_t bytes, CopyKind kind, void* stream) = 0;
  virtual void* CreateStream() = 0;
  virtual void DestroyStream(void* stream) = 0;
  // Blocks until `stream` has finished; any thread.
  virtual void Synchronize(void* stream) = 0;
  // CUDA device current on the calling thread (-1 in host mode); workers make
  // it current on their thread before calling TensorRT or CUDA.
  virtual int CurrentDevice() = 0;
  virtual void MakeCurrent(int device) = 0;
};

std::shared_ptr<DeviceMemory> MakeCudaMemory(const Cudart* cudart);
std::shared_ptr<DeviceMemory> MakeHostMemory();

// The Failure for a failed CUDA call (code TRT_CUDA_ERROR).
Failure CudaFailure(const Cudart& cudart, const char* function, cudaError_t error);

}  // namespace trtn
