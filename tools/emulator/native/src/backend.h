// What executing a plan needs from a device: memory, copies, one entry per
// layer kind, and timing. Two implementations: the host backend (plain C++ on
// host pointers, synchronous; the stream is ignored) and the CUDA backend
// (kernels on the caller's stream). The executor never knows which it has.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "abi.h"
#include "dtype.h"

namespace emu {

struct TensorArg {
  void* data = nullptr;
  DType dtype = DType::kFLOAT;
  Dims64 dims{};
  int64_t count = 0;  // element count
};

// What a backend keeps per execution context (the CUDA backend: the cuBLAS
// handle and workspace of its matmul layers). Made by the backend on first
// use, destroyed with the context.
class BackendState {
 public:
  virtual ~BackendState() = default;
};

// Marks layer boundaries during one enqueue and turns them into per-layer
// milliseconds afterwards (waiting for the device if it has to).
class Timing {
 public:
  virtual ~Timing() = default;
  virtual bool mark(int boundary, void* stream, std::string& error) = 0;  // boundary 0..layers
  virtual bool read(std::vector<float>& ms, std::string& error) = 0;
};

class Backend {
 public:
  virtual ~Backend() = default;
  virtual const char* name() const = 0;

  virtual void* allocate(uint64_t bytes, std::string& error) = 0;
  virtual void release(void* p) = 0;
  // Device copy of read-only data (weights); the host backend returns `host`.
  virtual const void* constant(const void* host, uint64_t bytes, std::string& error) = 0;
  virtual void releaseConstant(const void* p) = 0;

  virtual bool fill(void* dst, uint8_t value, uint64_t bytes, void* stream, std::string& error) = 0;
  virtual bool copy(void* dst, const void* src, uint64_t bytes, void* stream, std::string& error) = 0;

  virtual bool add(const TensorArg& a, const TensorArg& b, const TensorArg& out, void* stream, std::string& error) = 0;
  virtual bool mul(const TensorArg& a, const TensorArg& b, const TensorArg& out, void* stream, std::string& error) = 0;
  virtual bool relu(const TensorArg& in, const TensorArg& out, void* stream, std::string& error) = 0;
  virtual bool cast(const TensorArg& in, const TensorArg& out, void* stream, std::string& error) = 0;
  // `state` is the context's BackendState slot (null until the backend fills it).
  virtual bool matmul(const TensorArg& x, const float* weights, const float* bias, uint32_t k, uint32_t n,
                      const TensorArg& out, std::unique_ptr<BackendState>& state, void* stream,
                      std::string& error) = 0;
  virtual bool concat(const std::vector<TensorArg>& ins, int axis, const TensorArg& out, void* stream,
                      std::string& error) = 0;
  // NonZero runs in two steps because the output's size is only known in
  // between: count (staged through `countSlot`, 8 bytes of scratch; returns
  // once the count is on the host), then write [rank, count] int64 indices.
  virtual bool nonzeroCount(const TensorArg& in, void* countSlot, int64_t& count, void* stream,
                            std::string& error) = 0;
  virtual bool nonzeroWrite(const TensorArg& in, int64_t count, DType indexType, void* out, void* stream,
                            std::string& error) = 0;
  virtual bool busyWait(uint32_t micros, void* stream, std::string& error) = 0;

  virtual std::unique_ptr<Timing> makeTiming(int layers, std::string& error) = 0;
};

Backend& hostBackend();

// Null when the library was built without CUDA.
Backend* cudaBackend();

// CUDA availability, answered by cuda_backend.cu or cuda_backend_none.cpp.
bool cudaCompiledIn();
int cudaDeviceCount(std::string& error);  // 0 with `error` set when CUDA cannot be used
// Whether cuBLAS loads (matmul_path.h): `detail` names the library, or says what was tried.
bool cudaCublasAvailable(std::string& detail);

}  // namespace emu
