// The host backend: tensors and "device" memory are host pointers, the stream
// is opaque and ignored, and everything runs synchronously inside enqueueV3.
// This is what CI (no GPU) runs.
#include <chrono>
#include <cstdlib>
#include <cstring>

#include "backend.h"
#include "host_kernels.h"
#include "dims.h"
#include "memory_plan.h"

namespace emu {

namespace {

class HostTiming final : public Timing {
 public:
  explicit HostTiming(int layers) : marks_(static_cast<size_t>(layers) + 1) {}
  bool mark(int boundary, void*, std::string&) override {
    marks_[boundary] = std::chrono::steady_clock::now();
    return true;
  }
  bool read(std::vector<float>& ms, std::string&) override {
    ms.clear();
    for (size_t i = 1; i < marks_.size(); ++i)
      ms.push_back(std::chrono::duration<float, std::milli>(marks_[i] - marks_[i - 1]).count());
    return true;
  }

 private:
  std::vector<std::chrono::steady_clock::time_point> marks_;
};

class HostBackend final : public Backend {
 public:
  const char* name() const override { return "host"; }

  void* allocate(uint64_t bytes, std::string& error) override {
    void* p = std::aligned_alloc(kScratchAlignment, alignUp(bytes ? bytes : 1, kScratchAlignment));
    if (!p) error = "out of host memory allocating " + std::to_string(bytes) + " bytes";
    return p;
  }
  void release(void* p) override { std::free(p); }
  const void* constant(const void* host, uint64_t, std::string&) override { return host; }
  void releaseConstant(const void*) override {}

  bool fill(void* dst, uint8_t value, uint64_t bytes, void*, std::string&) override {
    if (bytes) std::memset(dst, value, bytes);
    return true;
  }
  bool copy(void* dst, const void* src, uint64_t bytes, void*, std::string&) override {
    if (bytes && dst != src) std::memmove(dst, src, bytes);
    return true;
  }
  bool add(const TensorArg& a, const TensorArg& b, const TensorArg& o, void*, std::string&) override {
    host::add(a, b, o);
    return true;
  }
  bool mul(const TensorArg& a, const TensorArg& b, const TensorArg& o, void*, std::string&) override {
    host::mul(a, b, o);
    return true;
  }
  bool relu(const TensorArg& in, const TensorArg& o, void*, std::string&) override {
    host::relu(in, o);
    return true;
  }
  bool cast(const TensorArg& in, const TensorArg& o, void*, std::string&) override {
    host::cast(in, o);
    return true;
  }
  bool matmul(const TensorArg& x, const float* w, const float* b, uint32_t k, uint32_t n, const TensorArg& o,
              std::unique_ptr<BackendState>&, void*, std::string&) override {
    host::matmul(x, w, b, k, n, o);
    return true;
  }
  bool concat(const std::vector<TensorArg>& ins, int axis, const TensorArg& o, void*, std::string&) override {
    host::concat(ins, axis, o);
    return true;
  }
  bool nonzeroCount(const TensorArg& in, void* slot, int64_t& count, void*, std::string&) override {
    count = host::nonzeroCount(in);
    std::memcpy(slot, &count, sizeof(count));  // staged like the CUDA path, so the slot is real
    return true;
  }
  bool nonzeroWrite(const TensorArg& in, int64_t count, DType indexType, void* out, void*, std::string&) override {
    if (indexType == DType::kINT32) host::nonzeroWrite(in, count, static_cast<int32_t*>(out));
    else host::nonzeroWrite(in, count, static_cast<int64_t*>(out));
    return true;
  }
  bool busyWait(uint32_t micros, void*, std::string&) override {
    host::spin(micros);
    return true;
  }
  std::unique_ptr<Timing> makeTiming(int layers, std::string&) override {
    return std::unique_ptr<Timing>(new HostTiming(layers));
  }
};

}  // namespace

Backend& hostBackend() {
  static HostBackend backend;
  return backend;
}

}  // namespace emu
