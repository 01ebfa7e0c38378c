#include "caller.h"

#include <cstdio>

namespace t {

namespace {

struct Cudart {
  int (*malloc)(void**, size_t) = nullptr;
  int (*free)(void*) = nullptr;
  int (*memcpy)(void*, const void*, size_t, int) = nullptr;
  int (*memset)(void*, int, size_t) = nullptr;
  int (*streamCreate)(void**) = nullptr;
  int (*streamSynchronize)(void*) = nullptr;
};
constexpr int kMemcpyDefault = 4;  // cudaMemcpyDefault

const Cudart& cudart() {
  static const Cudart c = [] {
    Cudart r;
    void* h = nullptr;
    for (const char* name : trt_abi::V10::kCudaRuntimeFiles) {
      h = dlopen(name, RTLD_NOW | RTLD_GLOBAL);
      if (h) break;
    }
    if (!h) {
      std::fprintf(stderr, "CUDA mode but no libcudart could be loaded\n");
      std::abort();
    }
    r.malloc = reinterpret_cast<int (*)(void**, size_t)>(dlsym(h, "cudaMalloc"));
    r.free = reinterpret_cast<int (*)(void*)>(dlsym(h, "cudaFree"));
    r.memcpy = reinterpret_cast<int (*)(void*, const void*, size_t, int)>(dlsym(h, "cudaMemcpy"));
    r.memset = reinterpret_cast<int (*)(void*, int, size_t)>(dlsym(h, "cudaMemset"));
    r.streamCreate = reinterpret_cast<int (*)(void**)>(dlsym(h, "cudaStreamCreate"));
    r.streamSynchronize = reinterpret_cast<int (*)(void*)>(dlsym(h, "cudaStreamSynchronize"));
    return r;
  }();
  return c;
}

void check(int status, const char* what) {
  if (status != 0) {
    std::fprintf(stderr, "%s failed with CUDA error %d\n", what, status);
    std::abort();
  }
}

}  // namespace

void* library() {
  static void* h = [] {
    void* p = dlopen(options().lib.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!p) {
      std::fprintf(stderr, "cannot load %s: %s\n", options().lib.c_str(), dlerror());
      std::abort();
    }
    return p;
  }();
  return h;
}

std::string emulatorInfo() {
  auto info = symbol<const char* (*)()>("trtEmulatorInfo");
  return info ? info() : "";
}

bool cudaMode() { return emulatorInfo().find("\"mode\":\"cuda\"") != std::string::npos; }

std::string matmulBackend() {
  auto fn = symbol<const char* (*)()>("trtEmulatorMatmulBackend");
  const char* name = fn ? fn() : nullptr;
  return name ? name : "";
}

int libMajor() { return trt_abi::majorOfVersion(symbol<int32_t (*)()>("getInferLibVersion")()); }

void* deviceAlloc(size_t bytes) {
  if (!cudaMode()) return std::aligned_alloc(256, (bytes + 255) / 256 * 256 + 256);
  void* p = nullptr;
  check(cudart().malloc(&p, bytes ? bytes : 1), "cudaMalloc");
  return p;
}

void deviceFree(void* p) {
  if (!p) return;
  if (!cudaMode()) std::free(p);
  else cudart().free(p);
}

void copyToHost(void* dst, const void* src, size_t n) {
  if (!cudaMode()) std::memcpy(dst, src, n);
  else check(cudart().memcpy(dst, src, n, kMemcpyDefault), "cudaMemcpy");
}

Buffer::Buffer(size_t bytes) : ptr_(deviceAlloc(bytes)), bytes_(bytes) {}
Buffer::~Buffer() { deviceFree(ptr_); }

void Buffer::upload(const void* src, size_t n, size_t offset) {
  char* dst = static_cast<char*>(ptr_) + offset;
  if (!cudaMode()) std::memcpy(dst, src, n);
  else check(cudart().memcpy(dst, src, n, kMemcpyDefault), "cudaMemcpy");
}

void Buffer::download(void* dst, size_t n, size_t offset) const {
  copyToHost(dst, static_cast<const char*>(ptr_) + offset, n);
}

void Buffer::fill(uint8_t value) {
  if (!cudaMode()) std::memset(ptr_, value, bytes_);
  else check(cudart().memset(ptr_, value, bytes_), "cudaMemset");
}

void* stream() {
  if (!cudaMode()) return reinterpret_cast<void*>(uintptr_t{0xdead0000});
  static void* s = [] {
    void* p = nullptr;
    check(cudart().streamCreate(&p), "cudaStreamCreate");
    return p;
  }();
  return s;
}

void sync() {
  if (cudaMode()) check(cudart().streamSynchronize(stream()), "cudaStreamSynchronize");
}

std::vector<uint8_t> readFixture(const std::string& relative) {
  const std::string path = options().fixtures + "/" + relative;
  std::ifstream f(path, std::ios::binary);
  if (!f) {
    std::fprintf(stderr,
                 "fixture %s is missing: run `pnpm --filter @trt/emulator fixtures` (or the package's test script) "
                 "first\n",
                 path.c_str());
    std::exit(2);
  }
  return std::vector<uint8_t>((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
}

}  // namespace t
