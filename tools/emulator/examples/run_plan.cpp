// run_plan: load libnvinfer.so.N by path, deserialize a plan, run it once and
// print its outputs, knowing nothing but the project's generated ABI header.
// It works against the emulator (host or CUDA mode) and, unchanged, against
// NVIDIA's TensorRT with a real engine.
//
//   run_plan build/host/lib10/libnvinfer.so.10 fixtures/out/mlp3.plan [--batch N]
//
// Inputs get their profile-0 "opt" shape (the first dimension replaced by
// --batch when given) and a deterministic fill; outputs whose shape depends on
// the data are received through an IOutputAllocator.
#include <dlfcn.h>

#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <string>
#include <vector>

#include "trt_abi.generated.h"

namespace {

using trt_abi::Dims64;

// ---- CUDA runtime, loaded only when the library runs on a GPU -----------------
struct Cuda {
  bool host = true;  // emulator in host mode: tensors are host memory, no streams
  int (*malloc)(void**, size_t) = nullptr;
  int (*free)(void*) = nullptr;
  int (*memcpy)(void*, const void*, size_t, int) = nullptr;
  int (*streamCreate)(void**) = nullptr;
  int (*streamSynchronize)(void*) = nullptr;
  void* stream = nullptr;
};
Cuda gCuda;
constexpr int kMemcpyDefault = 4;  // cudaMemcpyDefault: direction from the pointers

bool loadCuda(const char* const* names, size_t count) {
  void* h = nullptr;
  for (size_t i = 0; i < count && !h; ++i) h = dlopen(names[i], RTLD_NOW | RTLD_GLOBAL);
  if (!h) return false;
  gCuda.malloc = reinterpret_cast<int (*)(void**, size_t)>(dlsym(h, "cudaMalloc"));
  gCuda.free = reinterpret_cast<int (*)(void*)>(dlsym(h, "cudaFree"));
  gCuda.memcpy = reinterpret_cast<int (*)(void*, const void*, size_t, int)>(dlsym(h, "cudaMemcpy"));
  gCuda.streamCreate = reinterpret_cast<int (*)(void**)>(dlsym(h, "cudaStreamCreate"));
  gCuda.streamSynchronize = reinterpret_cast<int (*)(void*)>(dlsym(h, "cudaStreamSynchronize"));
  return gCuda.malloc && gCuda.free && gCuda.memcpy && gCuda.streamCreate && gCuda.streamSynchronize &&
         gCuda.streamCreate(&gCuda.stream) == 0;
}

void* deviceAlloc(size_t bytes) {
  if (gCuda.host) return std::aligned_alloc(256, (bytes + 255) / 256 * 256 + 256);
  void* p = nullptr;
  return gCuda.malloc(&p, bytes ? bytes : 1) == 0 ? p : nullptr;
}
void deviceFree(void* p) {
  if (gCuda.host) std::free(p);
  else if (p) gCuda.free(p);
}
void copy(void* dst, const void* src, size_t n) {
  if (gCuda.host) std::memcpy(dst, src, n);
  else gCuda.memcpy(dst, src, n, kMemcpyDefault);
}

std::string show(const Dims64& d) {
  std::string s = "[";
  for (int i = 0; i < d.nbDims; ++i) s += (i ? "," : "") + std::to_string(d.d[i]);
  return s + "]";
}

int64_t volume(const Dims64& d) {
  int64_t v = 1;
  for (int i = 0; i < d.nbDims; ++i) v *= d.d[i];
  return v;
}

// ---- the table-driven part ------------------------------------------------------
template <class V>
struct Program {
  using DT = typename V::DataType;

  // ILogger with the layout of major V (log at slot 0 in 10, slot 4 in 11).
  struct Logger {
    void* const* vptr;
    int errors = 0;
    static void log(void* self, int32_t severity, const char* msg) {
      if (severity <= static_cast<int32_t>(V::Severity::kERROR)) ++static_cast<Logger*>(self)->errors;
      if (severity <= static_cast<int32_t>(V::Severity::kWARNING)) std::fprintf(stderr, "[TensorRT] %s\n", msg);
    }
    static void dtor(void*) {}
    static int32_t language(void*) { return static_cast<int32_t>(V::APILanguage::kCPP); }
    static trt_abi::InterfaceInfo info(void*) { return {"ILogger", 1, 0}; }
    static void* const* table() {
      using L = typename V::ILogger;
      static void* t[L::kVtableSize] = {};
      t[L::log::slot] = reinterpret_cast<void*>(&log);
      t[L::destructor_complete::slot] = reinterpret_cast<void*>(&dtor);
      t[L::destructor_deleting::slot] = reinterpret_cast<void*>(&dtor);
      if constexpr (L::kVersioned) {
        t[L::getAPILanguage::slot] = reinterpret_cast<void*>(&language);
        t[L::getInterfaceInfo::slot] = reinterpret_cast<void*>(&info);
      }
      return t;
    }
  };

  // IOutputAllocator for data-dependent outputs: remembers memory and shape.
  struct Allocator {
    void* const* vptr;
    void* memory = nullptr;
    Dims64 shape{};
    static void* reallocate(void* self, const char*, void*, uint64_t size, uint64_t, void*) {
      auto* a = static_cast<Allocator*>(self);
      deviceFree(a->memory);
      a->memory = deviceAlloc(size);
      return a->memory;
    }
    static void* reallocateSync(void* self, const char* n, void* c, uint64_t s, uint64_t al) {
      return reallocate(self, n, c, s, al, nullptr);
    }
    static void notify(void* self, const char*, const Dims64* d) { static_cast<Allocator*>(self)->shape = *d; }
    static void dtor(void*) {}
    static int32_t language(void*) { return static_cast<int32_t>(V::APILanguage::kCPP); }
    static trt_abi::InterfaceInfo info(void*) { return {"IOutputAllocator", 1, 0}; }
    static void* const* table() {
      using A = typename V::IOutputAllocator;
      static void* t[A::kVtableSize] = {};
      t[A::getAPILanguage::slot] = reinterpret_cast<void*>(&language);
      t[A::getInterfaceInfo::slot] = reinterpret_cast<void*>(&info);
      t[A::destructor_complete::slot] = reinterpret_cast<void*>(&dtor);
      t[A::destructor_deleting::slot] = reinterpret_cast<void*>(&dtor);
      t[A::reallocateOutput::slot] = reinterpret_cast<void*>(&reallocateSync);
      t[A::reallocateOutputAsync::slot] = reinterpret_cast<void*>(&reallocate);
      t[A::notifyShape::slot] = reinterpret_cast<void*>(&notify);
      return t;
    }
  };

  // Method M on a wrapper pointer: impl at offset 8, then its vtable slot.
  template <class M, class... A>
  static auto call(void* wrapper, A... args) {
    void* impl = *reinterpret_cast<void**>(static_cast<char*>(wrapper) + V::kImplPointerOffset);
    void* const* vtable = *static_cast<void* const* const*>(impl);
    return reinterpret_cast<typename M::Fn>(vtable[M::slot])(impl, args...);
  }
  static void release(void* wrapper) {
    if (!wrapper) return;
    void* const* vtable = *static_cast<void* const* const*>(wrapper);
    reinterpret_cast<void (*)(void*)>(vtable[V::kDeletingDestructorSlot])(wrapper);
  }

  static int elementSize(int32_t dtype) { return V::dataTypeBits(static_cast<DT>(dtype)) / 8; }

  static void fill(std::vector<uint8_t>& bytes, int32_t dtype) {
    const int64_t n = static_cast<int64_t>(bytes.size()) / elementSize(dtype);
    for (int64_t i = 0; i < n; ++i) {
      switch (static_cast<DT>(dtype)) {
        case DT::kFLOAT: { const float v = static_cast<float>(i % 13) * 0.1f - 0.6f; std::memcpy(&bytes[i * 4], &v, 4); break; }
        case DT::kINT32: { const int32_t v = static_cast<int32_t>(i % 3); std::memcpy(&bytes[i * 4], &v, 4); break; }
        case DT::kINT64: { const int64_t v = i % 3; std::memcpy(&bytes[i * 8], &v, 8); break; }
        case DT::kINT8: case DT::kUINT8: case DT::kBOOL: bytes[i] = static_cast<uint8_t>(i % 3 != 0); break;
        default: break;  // f16/bf16: zeros
      }
    }
  }

  static void print(const char* name, int32_t dtype, const Dims64& shape, const void* device) {
    const int64_t n = volume(shape);
    std::vector<uint8_t> bytes(static_cast<size_t>(n) * elementSize(dtype));
    if (n) copy(bytes.data(), device, bytes.size());
    std::printf("output %s %s:", name, show(shape).c_str());
    for (int64_t i = 0; i < n && i < 8; ++i) {
      switch (static_cast<DT>(dtype)) {
        case DT::kFLOAT: { float v; std::memcpy(&v, &bytes[i * 4], 4); std::printf(" %.6g", v); break; }
        case DT::kINT32: { int32_t v; std::memcpy(&v, &bytes[i * 4], 4); std::printf(" %d", v); break; }
        case DT::kINT64: { int64_t v; std::memcpy(&v, &bytes[i * 8], 8); std::printf(" %" PRId64, v); break; }
        default: std::printf(" 0x%02x", bytes[i * elementSize(dtype)]); break;
      }
    }
    std::printf("%s\n", n > 8 ? " ..." : " ");
  }

  static int run(void* lib, const std::vector<uint8_t>& plan, int64_t batch) {
    using R = typename V::VRuntime;
    using E = typename V::VCudaEngine;
    using C = typename V::VExecutionContext;
    auto create = reinterpret_cast<void* (*)(void*, int32_t)>(dlsym(lib, "createInferRuntime_INTERNAL"));
    auto version = reinterpret_cast<int32_t (*)()>(dlsym(lib, "getInferLibVersion"));
    Logger logger{Logger::table()};
    void* runtime = create(&logger, version());
    if (!runtime) return std::fprintf(stderr, "error: createInferRuntime failed\n"), 1;
    void* engine = call<typename R::deserializeCudaEngine>(runtime, const_cast<uint8_t*>(plan.data()),
                                                           static_cast<uint64_t>(plan.size()));
    if (!engine) {
      release(runtime);
      return std::fprintf(stderr, "error: the plan could not be deserialized\n"), 1;
    }
    std::printf("engine %s: %d I/O tensors\n", call<typename E::getName>(engine), call<typename E::getNbIOTensors>(engine));
    void* ctx = call<typename E::createExecutionContext>(
        engine, static_cast<int32_t>(V::ExecutionContextAllocationStrategy::kSTATIC));
    int status = ctx ? 0 : 1;
    std::vector<void*> buffers;
    std::vector<Allocator> allocators(static_cast<size_t>(call<typename E::getNbIOTensors>(engine)),
                                      Allocator{Allocator::table()});
    const int32_t nIO = call<typename E::getNbIOTensors>(engine);
    const auto kInput = static_cast<int32_t>(V::TensorIOMode::kINPUT);
    // Inputs first: their shapes decide the outputs'.
    for (int32_t i = 0; i < nIO && status == 0; ++i) {
      const char* name = call<typename E::getIOTensorName>(engine, i);
      if (call<typename E::getTensorIOMode>(engine, name) != kInput) continue;
      Dims64 shape = call<typename E::getProfileShape>(engine, name, 0, static_cast<int32_t>(V::OptProfileSelector::kOPT));
      if (batch > 0 && shape.nbDims > 0 && call<typename E::getTensorShape>(engine, name).d[0] < 0) shape.d[0] = batch;
      if (!call<typename C::setInputShape>(ctx, name, &shape)) status = 1;
      const int32_t dtype = call<typename E::getTensorDataType>(engine, name);
      std::vector<uint8_t> host(static_cast<size_t>(volume(shape)) * elementSize(dtype));
      fill(host, dtype);
      void* device = deviceAlloc(host.size());
      buffers.push_back(device);
      copy(device, host.data(), host.size());
      call<typename C::setTensorAddress>(ctx, name, device);
      std::printf("input %s %s\n", name, show(shape).c_str());
    }
    for (int32_t i = 0; i < nIO && status == 0; ++i) {
      const char* name = call<typename E::getIOTensorName>(engine, i);
      if (call<typename E::getTensorIOMode>(engine, name) == kInput) continue;
      const Dims64 shape = call<typename C::getTensorShape>(ctx, name);
      bool known = shape.nbDims >= 0;
      for (int d = 0; d < shape.nbDims; ++d) known = known && shape.d[d] >= 0;
      if (!known) {
        call<typename C::setOutputAllocator>(ctx, name, static_cast<void*>(&allocators[i]));
        continue;
      }
      const int32_t dtype = call<typename E::getTensorDataType>(engine, name);
      void* device = deviceAlloc(static_cast<size_t>(volume(shape)) * elementSize(dtype));
      buffers.push_back(device);
      call<typename C::setTensorAddress>(ctx, name, device);
    }
    if (status == 0 && !call<typename C::enqueueV3>(ctx, gCuda.stream)) status = 1;
    if (status == 0 && !gCuda.host) gCuda.streamSynchronize(gCuda.stream);
    for (int32_t i = 0; i < nIO && status == 0; ++i) {
      const char* name = call<typename E::getIOTensorName>(engine, i);
      if (call<typename E::getTensorIOMode>(engine, name) == kInput) continue;
      const int32_t dtype = call<typename E::getTensorDataType>(engine, name);
      if (allocators[i].memory) print(name, dtype, allocators[i].shape, allocators[i].memory);
      else print(name, dtype, call<typename C::getTensorShape>(ctx, name), call<typename C::getTensorAddress>(ctx, name));
    }
    for (Allocator& a : allocators) deviceFree(a.memory);
    for (void* b : buffers) deviceFree(b);
    release(ctx);
    release(engine);
    release(runtime);
    if (status != 0 || logger.errors) std::fprintf(stderr, "error: the run failed (see the messages above)\n");
    return status != 0 || logger.errors ? 1 : 0;
  }
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s LIBNVINFER PLAN [--batch N]\n", argv[0]);
    return 2;
  }
  int64_t batch = 0;
  for (int i = 3; i + 1 < argc; i += 2)
    if (!std::strcmp(argv[i], "--batch")) batch = std::atoll(argv[i + 1]);

  void* lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
  if (!lib) return std::fprintf(stderr, "error: cannot load %s: %s\n", argv[1], dlerror()), 1;
  auto version = reinterpret_cast<int32_t (*)()>(dlsym(lib, "getInferLibVersion"));
  if (!version) return std::fprintf(stderr, "error: %s has no getInferLibVersion\n", argv[1]), 1;
  const int32_t v = version();
  const int major = trt_abi::majorOfVersion(v);

  // The emulator says what it is; real TensorRT always wants the GPU.
  auto info = reinterpret_cast<const char* (*)()>(dlsym(lib, "trtEmulatorInfo"));
  const std::string about = info ? info() : "";
  gCuda.host = about.find("\"mode\":\"host\"") != std::string::npos;
  std::printf("library %s: TensorRT %d.%d.%d%s\n", argv[1], major, v / 100 % 100, v % 100,
              info ? (" (emulator " + about + ")").c_str() : "");
  if (!gCuda.host && !loadCuda(trt_abi::V10::kCudaRuntimeFiles, std::size(trt_abi::V10::kCudaRuntimeFiles)))
    return std::fprintf(stderr, "error: the library runs on the GPU but no CUDA runtime could be loaded\n"), 1;

  FILE* f = std::fopen(argv[2], "rb");
  if (!f) return std::fprintf(stderr, "error: cannot open %s\n", argv[2]), 1;
  std::vector<uint8_t> plan;
  uint8_t chunk[65536];
  for (size_t n; (n = std::fread(chunk, 1, sizeof(chunk), f)) > 0;) plan.insert(plan.end(), chunk, chunk + n);
  std::fclose(f);

  switch (major) {
    case 10: return Program<trt_abi::V10>::run(lib, plan, batch);
    case 11: return Program<trt_abi::V11>::run(lib, plan, batch);
    default:
      std::fprintf(stderr, "error: unsupported TensorRT major %d (library version %d); this program knows 10 and 11\n",
                   major, v);
      return 1;
  }
}
