// The CUDA backend: the caller's tensors and device memory are device
// pointers, work goes on the caller's stream, layer times come from CUDA
// events. Built only with TRT_EMU_CUDA=ON/AUTO; the CUDA runtime is linked
// statically, so the library still loads (and runs in host mode) where no
// CUDA is installed.
#include <cuda_runtime.h>

#include <climits>

#include "backend.h"
#include "cublas_loader.h"
#include "cuda_kernels.cuh"
#include "matmul_path.h"

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

// A context's cuBLAS handle and workspace, made at its first matmul.
//
// Per context, because TensorRT lets a context run one enqueue at a time: its
// workspace is never used by two gemms at once, whatever streams the caller
// uses, and it goes away with the context (as do the graphs captured from it,
// which point at the context's memory anyway).
//
// The workspace is ours, set with cublasSetWorkspace after every
// cublasSetStream (which resets the handle to cuBLAS's default pool), so that
// a gemm under stream capture never allocates: older cuBLAS versions would
// cudaMalloc (refused while capturing), newer ones allocate from a
// stream-ordered pool into the caller's graph, a new buffer per capture. It
// also keeps the kernel choice, which depends on the workspace size, the same
// for captured and plain runs, so a graph replay gives the bits a plain
// enqueue gives. 32 MiB on Hopper and newer, 4 MiB before: cuBLAS's
// recommended sizes.
class CublasState final : public BackendState {
 public:
  ~CublasState() override {
    if (handle_) api_->destroy(handle_);
    if (workspace_) cudaFree(workspace_);
  }

  // Creating the handle and the workspace allocates device memory: allowed
  // even while the caller's stream is being captured (nothing is enqueued),
  // so the thread's capture mode is relaxed for the duration. As with
  // TensorRT, an enqueue before capturing keeps this out of the capture.
  bool init(const cublas::Api* api, std::string& error) {
    api_ = api;
    cudaStreamCaptureMode mode = cudaStreamCaptureModeRelaxed;
    cudaThreadExchangeStreamCaptureMode(&mode);
    const bool done = create(error);
    cudaThreadExchangeStreamCaptureMode(&mode);
    if (!done) cudaGetLastError();  // so a later kernel launch does not report this failure as its own
    return done;
  }

  bool gemm(const float* x, const float* w, uint32_t k, uint32_t n, int64_t rows, float* y, cudaStream_t stream,
            std::string& error) {
    cublas::Status st = api_->setStream(handle_, stream);
    if (st != cublas::kStatusSuccess) return fail("cublasSetStream_v2", st, error);
    st = api_->setWorkspace(handle_, workspace_, workspaceBytes_);
    if (st != cublas::kStatusSuccess) return fail("cublasSetWorkspace_v2", st, error);
    // Row-major y[rows, n] = x[rows, k] · W[k, n] is, read column-major,
    // yᵀ[n, rows] = Wᵀ[n, k] · xᵀ[k, rows]: W as stored (ld n), x as stored
    // (ld k), y as stored (ld n); no transposes.
    const float one = 1.0f, zero = 0.0f;
    st = api_->sgemm(handle_, cublas::kOpN, cublas::kOpN, static_cast<int>(n), static_cast<int>(rows),
                     static_cast<int>(k), &one, w, static_cast<int>(n), x, static_cast<int>(k), &zero, y,
                     static_cast<int>(n));
    if (st != cublas::kStatusSuccess) return fail("cublasSgemm_v2", st, error);
    return true;
  }

 private:
  bool create(std::string& error) {
    cublas::Status st = api_->create(&handle_);
    if (st != cublas::kStatusSuccess) {
      handle_ = nullptr;
      return fail("cublasCreate_v2", st, error);
    }
    int device = 0, major = 0;
    if (!ok(cudaGetDevice(&device), "cudaGetDevice", error) ||
        !ok(cudaDeviceGetAttribute(&major, cudaDevAttrComputeCapabilityMajor, device), "cudaDeviceGetAttribute",
            error))
      return false;
    workspaceBytes_ = size_t{major >= 9 ? 32u : 4u} << 20;
    if (!ok(cudaMalloc(&workspace_, workspaceBytes_), "cudaMalloc (cuBLAS workspace)", error)) {
      workspace_ = nullptr;
      return false;
    }
    return true;
  }
  bool fail(const char* what, cublas::Status st, std::string& error) {
    error = cublas::describe(*api_, what, st);
    return false;
  }

  const cublas::Api* api_ = nullptr;
  cublas::Handle handle_ = nullptr;
  void* workspace_ = nullptr;
  size_t workspaceBytes_ = 0;
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
  bool matmul(const TensorArg& x, const float* w, const float* b, uint32_t k, uint32_t n, const TensorArg& o,
              std::unique_ptr<BackendState>& state, void* s, std::string& e) override {
    const int64_t rows = n ? o.count / n : 0;
    if (rows <= 0) return true;
    const auto* xs = static_cast<const float*>(x.data);
    auto* ys = static_cast<float*>(o.data);
    // cuBLAS takes int sizes; k = 0 (y = bias) is the kernel's too.
    if (matmulPath().path != MatmulPath::kCublas || k == 0 || rows > INT_MAX)
      return ok(cuda::launchMatmul(xs, w, b, k, n, rows, ys, asStream(s)), "matmul kernel", e);
    if (!state) {
      const cublas::Api* api = cublas::api(e);
      if (!api) return false;
      std::unique_ptr<CublasState> made(new CublasState);
      if (!made->init(api, e)) return false;
      state = std::move(made);
    }
    return static_cast<CublasState*>(state.get())->gemm(xs, w, k, n, rows, ys, asStream(s), e) &&
           (!b || ok(cuda::launchAddBias(ys, b, n, rows, asStream(s)), "bias kernel", e));
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
  bool nonzeroWrite(const TensorArg& in, int64_t count, DType indexType, void* out, void* stream,
                    std::string& error) override {
    cuda::ShapeArg shape{};
    shape.rank = in.dims.nbDims;
    for (int i = 0; i < in.dims.nbDims; ++i) shape.d[i] = in.dims.d[i];
    return ok(cuda::launchNonzeroWrite(in.dtype, in.data, shape, in.count, count, indexType, out, asStream(stream)),
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

bool cudaCublasAvailable(std::string& detail) {
  const cublas::Api* api = cublas::api(detail);
  if (api) detail = api->library;
  return api != nullptr;
}

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
