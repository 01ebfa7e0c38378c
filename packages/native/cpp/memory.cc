#include "memory.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <limits>

#include "errors.h"

namespace trtn {

Failure CudaFailure(const Cudart& cudart, const char* function, cudaError_t error) {
  const char* name = cudart.getErrorName(error);
  const char* text = cudart.getErrorString(error);
  Failure f(kCodeCuda, "CudaError",
            std::string(function) + " failed: " + (name != nullptr ? name : "cudaError") + " (" +
                std::to_string(error) + "): " + (text != nullptr ? text : "unknown error"));
  f.With("function", std::string(function));
  f.With("cudaError", static_cast<double>(error));
  f.With("cudaErrorName", std::string(name != nullptr ? name : ""));
  return f;
}

namespace {

class CudaMemory final : public DeviceMemory {
 public:
  explicit CudaMemory(const Cudart* c) : c_(*c) {
    // Keep freed blocks in the default pool instead of returning them to the
    // driver at every synchronization: a pool that empties itself makes every
    // inference pay for cudaMalloc again. Best effort (no device: no pool).
    int device = 0;
    cudaMemPool_t pool = nullptr;
    if (c_.getDevice(&device) == 0 && c_.deviceGetDefaultMemPool(&pool, device) == 0) {
      uint64_t threshold = std::numeric_limits<uint64_t>::max();
      c_.memPoolSetAttribute(pool, Cudart::kMemPoolAttrReleaseThreshold, &threshold);
    }
  }
  const char* Mode() const override { return "cuda"; }
  void* Alloc(size_t bytes, void* stream) override {
    void* p = nullptr;
    Check("cudaMallocAsync", c_.mallocAsync(&p, bytes, stream));
    return p;
  }
  void Free(void* address, void* stream) override { Check("cudaFreeAsync", c_.freeAsync(address, stream)); }
  void Copy(void* dst, const void* src, size_t bytes, CopyKind kind, void* stream) override {
    int k = kind == CopyKind::kHostToDevice   ? Cudart::kMemcpyHostToDevice
            : kind == CopyKind::kDeviceToHost ? Cudart::kMemcpyDeviceToHost
                                              : Cudart::kMemcpyDeviceToDevice;
    Check("cudaMemcpyAsync", c_.memcpyAsync(dst, src, bytes, k, stream));
  }
  void* CreateStream() override {
    cudaStream_t s = nullptr;
    Check("cudaStreamCreateWithFlags", c_.streamCreateWithFlags(&s, Cudart::kStreamNonBlocking));
    return s;
  }
  void DestroyStream(void* stream) override { Check("cudaStreamDestroy", c_.streamDestroy(stream)); }
  void Synchronize(void* stream) override { Check("cudaStreamSynchronize", c_.streamSynchronize(stream)); }
  int CurrentDevice() override {
    int d = 0;
    Check("cudaGetDevice", c_.getDevice(&d));
    return d;
  }
  void MakeCurrent(int device) override {
    if (device >= 0) Check("cudaSetDevice", c_.setDevice(device));
  }

 private:
  void Check(const char* function, cudaError_t e) const {
    if (e != 0) throw CudaFailure(c_, function, e);
  }
  const Cudart& c_;
};

// Host mode. Allocations are tracked so that freeing a foreign or already
// freed address is an InputError instead of heap corruption.
class HostMemory final : public DeviceMemory {
 public:
  static constexpr size_t kAlignment = 256;  // what cudaMalloc guarantees
  ~HostMemory() override {
    for (void* p : live_) std::free(p);
  }
  const char* Mode() const override { return "host"; }
  void* Alloc(size_t bytes, void*) override {
    // A zero-byte tensor still gets a distinct, valid address.
    size_t rounded = (std::max<size_t>(bytes, 1) + kAlignment - 1) / kAlignment * kAlignment;
    void* p = std::aligned_alloc(kAlignment, rounded);
    if (p == nullptr) {
      throw Failure(kCodeCuda, "CudaError", "host-mode allocation of " + std::to_string(bytes) + " bytes failed")
          .With("function", std::string("aligned_alloc"));
    }
    std::lock_guard<std::mutex> lock(mu_);
    live_.insert(p);
    return p;
  }
  void Free(void* address, void*) override {
    if (address == nullptr) return;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (live_.erase(address) == 0) throw NotOurs("free", address);
    }
    std::free(address);
  }
  void Copy(void* dst, const void* src, size_t bytes, CopyKind, void*) override {
    if (bytes != 0) std::memmove(dst, src, bytes);
  }
  void* CreateStream() override {
    std::lock_guard<std::mutex> lock(mu_);
    void* token = reinterpret_cast<void*>(static_cast<uintptr_t>(++nextStream_ * 16));
    streams_.insert(token);
    return token;
  }
  void DestroyStream(void* stream) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (streams_.erase(stream) == 0) throw NotOurs("destroyStream", stream);
  }
  void Synchronize(void*) override {}  // the emulator runs synchronously
  int CurrentDevice() override { return -1; }
  void MakeCurrent(int) override {}

 private:
  static Failure NotOurs(const char* what, void* p) {
    return InputFailure("device", what, "an address this backend's memory allocated and has not released",
                        std::to_string(reinterpret_cast<uintptr_t>(p)));
  }
  std::mutex mu_;
  std::unordered_set<void*> live_;
  std::unordered_set<void*> streams_;
  uintptr_t nextStream_ = 0;
};

}  // namespace

std::shared_ptr<DeviceMemory> MakeCudaMemory(const Cudart* cudart) { return std::make_shared<CudaMemory>(cudart); }
std::shared_ptr<DeviceMemory> MakeHostMemory() { return std::make_shared<HostMemory>(); }

}  // namespace trtn
