// The CUDA backend: the caller's tensors and device memory are device
// pointers, work goes on the caller's stream, layer times come from CUDA
// events. Built only with TRT_EMU_CUDA=ON/AUTO; the CUDA runtime is linked
// statically, so the library still loads (and runs in host mode) where no
// CUDA is installed.
#include <cuda_runtime.h>

#include "backend.h"
#include "cuda_kernels.cuh"

namespace emu {

namespace {

cudaStream_t asStream(void* s) { return static_cast<cudaStream_t>(s); }

bool ok(cudaError_t status, const char* what, std::string& error) {
  if (status == cudaSuccess) return true;
  error = std::string(what) + ": " + cudaGetErrorString(status);
  return false;
}

class CudaTiming final : public Timing {
 public:
  explicit CudaTiming(int layers) : events_(static_cast<size_t>(layers) + 1, nullptr) {}
  ~CudaTiming() override {
    for (cudaEvent_t e : events_)
      if (e) cudaEventDestroy(e);
  }
  bool init(std::string& error) {
    for (cudaEvent_t& e : events_)
      if (!ok(cudaEventCreate(&e), "cudaEventCreate", error)) return false;
    return true;
  }
  bool mark(int boundary, void* stream, std::string& error) override {
    return ok(cudaEventRecord(events_[boundary], asStream(stream)), "cudaEventRecord", error);
  }
  bool read(std::vector<float>& ms, std::string& error) override {
    ms.clear();
    if (!ok(cudaEventSynchronize(events_.back()), "cudaEventSynchronize", error)) return false;
    for (size_t i = 1; i < events_.size(); ++i) {
      float t = 0;
      if (!ok(cudaEventElapsedTime(&t, events_[i - 1], events_[i]), "cudaEventElapsedTime", error)) return false;
      ms.push_back(t);
    }
    return true;
  }

 private:
  std::vector<cudaEvent_t> events_;
};

class CudaBackend final : public Backend {
 public:
  const char* name() const override { return "cuda"; }

  void* allocate(uint64_t bytes, std::string& error) override {
    void* p = nullptr;
    return ok(cudaMalloc(&p, bytes), "cudaMalloc", error) ? p : nullptr;
  }
  void release(void* p) override { cudaFree(p); }
  const void* constant(const void* host, uint64_t bytes, std::string& error) override {
    void* p = allocate(bytes, error);
    if (p && !ok(cudaMemcpy(p, host, bytes, cudaMemcpyHostToDevice), "cudaMemcpy (weights)", error)) {
      cudaFree(p);
      return nullptr;
    }
    return p;
  }
  void releaseConstant(const void* p) override { cudaFree(const_cast<void*>(p)); }

  bool fill(void* dst, uint8_t value, uint64_t bytes, void* stream, std::string& error) override {
    return ok(cudaMemsetAsync(dst, value, bytes, asStream(stream)), "cudaMemsetAsync", error);
  }
  bool copy(void* dst, const void* src, uint64_t bytes, void* stream, std::string& error) override {
    if (!bytes || dst == src) return true;
    return ok(cudaMemcpyAsync(dst, src, bytes, cudaMemcpyDefault, asStream(stream)), "cudaMemcpyAsync", error);
  }
  bool add(const TensorArg& a, const TensorArg& b, const TensorArg& o, void* s, std::string& e) override {
    return ok(cuda::launchArith(num::Op::kAdd, a.dtype, a.data, b.data, o.data, o.count, asStream(s)), "add kernel", e);
  }
  bool mul(const TensorArg& a, const TensorArg& b, const TensorArg& o, void* s, std::string& e) override {
    return ok(cuda::launchArith(num::Op::kMul, a.dtype, a.data, b.data, o.data, o.count, asStream(s)), "mul kernel", e);
  }
  bool relu(const TensorArg& in, const TensorArg& o, void* s, std::string& e) override {
    return ok(cuda::launchArith(num::Op::kRelu, in.dtype, in.data, nullptr, o.data, o.count, asStream(s)),
              "relu kernel", e);
  }
  bool cast(const TensorArg& in, const TensorArg& o, void* s, std::string& e) override {
    return ok(cuda::launchCast(in.dtype, in.data, o.dtype, o.data, o.count, asStream(s)), "cast kernel", e);
  }
  bool matmul(const TensorArg& x, const float* w, const float* b, uint32_t k, uint32_t n, const TensorArg& o, void* s,
              std::string& e) override {
    const int64_t rows = n ? o.count / n : 0;
    return ok(cuda::launchMatmul(static_cast<const float*>(x.data), w, b, k, n, rows, static_cast<float*>(o.data),
                                 asStream(s)),
              "matmul kernel", e);
  }
  bool concat(const std::vector<TensorArg>& ins, int axis, const TensorArg& out, void* stream,
              std::string& error) override {
    // Each input is a [outer, chunk] block of the output: one 2D copy each.
    const int elem = dtypeSize(out.dtype);
    int64_t outer = 1;
    for (int i = 0; i < axis; ++i) outer *= out.dims.d[i];
    if (outer == 0) return true;
    const size_t outRow = static_cast<size_t>(out.count / outer * elem);
    size_t col = 0;
    for (const TensorArg& in : ins) {
      const size_t chunk = static_cast<size_t>(in.count / outer * elem);
      if (chunk && !ok(cudaMemcpy2DAsync(static_cast<char*>(out.data) + col, outRow, in.data, chunk, chunk,
                                         static_cast<size_t>(outer), cudaMemcpyDefault, asStream(stream)),
                       "cudaMemcpy2DAsync (concat)", error))
        return false;
      col += chunk;
    }
    return true;
  }
  bool nonzeroCount(const TensorArg& in, void* slot, int64_t& count, void* stream, std::string& error) override {
    // The output allocator needs the count on the host: wait for it here, as
    // TensorRT does for data-dependent shapes.
    auto* device = static_cast<int64_t*>(slot);
    return ok(cuda::launchNonzeroCount(in.dtype, in.data, in.count, device, asStream(stream)), "nonzero count kernel",
              error) &&
           ok(cudaMemcpyAsync(&count, device, sizeof(count), cudaMemcpyDeviceToHost, asStream(stream)),
              "cudaMemcpyAsync (nonzero count)", error) &&
           ok(cudaStreamSynchronize(asStream(stream)), "cudaStreamSynchronize", error);
  }
  bool nonzeroWrite(const TensorArg& in, int64_t count, void* out, void* stream, std::string& error) override {
    cuda::ShapeArg shape{};
    shape.rank = in.dims.nbDims;
    for (int i = 0; i < in.dims.nbDims; ++i) shape.d[i] = in.dims.d[i];
    return ok(cuda::launchNonzeroWrite(in.dtype, in.data, shape, in.count, count, static_cast<int64_t*>(out),
                                       asStream(stream)),
              "nonzero write kernel", error);
  }
  bool busyWait(uint32_t micros, void* stream, std::string& error) override {
    return ok(cuda::launchSpin(uint64_t{micros} * 1000, asStream(stream)), "busy-wait kernel", error);
  }
  std::unique_ptr<Timing> makeTiming(int layers, std::string& error) override {
    std::unique_ptr<CudaTiming> t(new CudaTiming(layers));
    if (!t->init(error)) return nullptr;
    return t;
  }
};

}  // namespace

Backend* cudaBackend() {
  static CudaBackend backend;
  return &backend;
}

bool cudaCompiledIn() { return true; }

int cudaDeviceCount(std::string& error) {
  int n = 0;
  const cudaError_t status = cudaGetDeviceCount(&n);
  if (status != cudaSuccess) {
    error = std::string("cudaGetDeviceCount: ") + cudaGetErrorString(status);
    cudaGetLastError();  // clear it, so it does not surface in a later call
    return 0;
  }
  if (n == 0) error = "no CUDA device";
  return n;
}

}  // namespace emu
