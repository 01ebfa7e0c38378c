// The floor of the benchmark suite: what one inference costs when a C++
// program calls TensorRT directly, with nothing between it and enqueueV3.
//
//   trt-bench-floor --nvinfer LIB --plan FILE --mode enqueue|graph
//                   --shapes x=8x16 [--shapes x=2x16 ...]
//                   [--iterations N] [--warmup N]
//
// Each --shapes is one set of input shapes; with several, iterations
// alternate between them (setInputShape before every enqueue, as a caller
// serving mixed batch sizes does). `enqueue` times enqueueV3 + stream
// synchronize per call; `graph` captures one enqueue per shape set into a CUDA
// graph and times cudaGraphLaunch + synchronize. Outputs whose shape depends
// on the data go through an IOutputAllocator that hands back one buffer,
// grown when asked for more (the cheapest allocator TensorRT allows).
//
// Prints one JSON object: host time per call from a monotonic clock (median,
// p99, mean, in microseconds) and, on CUDA, device time per call from CUDA
// events recorded around the work on the stream, in a second loop so that
// recording them does not add to the host time. The library can be the
// project's emulator (host or CUDA mode, from its trtEmulatorInfo) or real
// TensorRT (then CUDA is assumed).
#include <dlfcn.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "cuda_api.h"
#include "stats.h"
#include "trt_abi.generated.h"

namespace floorbench {
namespace {

using trt_abi::Dims64;

[[noreturn]] void Fail(const std::string& message) {
  std::fprintf(stderr, "floor: %s\n", message.c_str());
  std::exit(2);
}

struct Args {
  std::string nvinfer;
  std::string plan;
  std::string mode = "enqueue";
  std::vector<std::map<std::string, std::vector<int64_t>>> shapeSets;
  int iterations = 2000;
  int warmup = 200;
};

std::vector<int64_t> ParseDims(const std::string& text) {
  std::vector<int64_t> dims;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t x = text.find('x', start);
    const std::string part = text.substr(start, x == std::string::npos ? std::string::npos : x - start);
    if (part.empty()) Fail("bad dims \"" + text + "\"");
    dims.push_back(std::strtoll(part.c_str(), nullptr, 10));
    if (x == std::string::npos) break;
    start = x + 1;
  }
  return dims;
}

std::map<std::string, std::vector<int64_t>> ParseShapeSet(const std::string& text) {
  std::map<std::string, std::vector<int64_t>> set;
  size_t start = 0;
  while (start < text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    const std::string item = text.substr(start, comma - start);
    const size_t eq = item.find('=');
    if (eq == std::string::npos) Fail("--shapes wants name=AxB[,name=AxB]; got \"" + text + "\"");
    set[item.substr(0, eq)] = ParseDims(item.substr(eq + 1));
    start = comma + 1;
  }
  return set;
}

Args ParseArgs(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (i + 1 >= argc) Fail("missing value after " + flag);
    const std::string value = argv[++i];
    if (flag == "--nvinfer") a.nvinfer = value;
    else if (flag == "--plan") a.plan = value;
    else if (flag == "--mode") a.mode = value;
    else if (flag == "--shapes") a.shapeSets.push_back(ParseShapeSet(value));
    else if (flag == "--iterations") a.iterations = std::atoi(value.c_str());
    else if (flag == "--warmup") a.warmup = std::atoi(value.c_str());
    else Fail("unknown option " + flag);
  }
  if (a.nvinfer.empty() || a.plan.empty()) Fail("--nvinfer and --plan are required");
  if (a.mode != "enqueue" && a.mode != "graph") Fail("--mode is enqueue or graph");
  if (a.iterations < 1) Fail("--iterations must be at least 1");
  if (a.shapeSets.empty()) a.shapeSets.emplace_back();
  return a;
}

// Device or host buffers, depending on where the library runs its kernels.
class Memory {
 public:
  explicit Memory(const CudaApi* cuda) : cuda_(cuda) {}
  ~Memory() {
    for (void* p : owned_) Release(p);
  }
  bool onDevice() const { return cuda_ != nullptr; }
  void* Alloc(size_t bytes) {
    bytes = std::max<size_t>(bytes, 256);
    void* p = nullptr;
    if (cuda_) {
      CheckCuda(*cuda_, cuda_->malloc(&p, bytes), "cudaMalloc");
      CheckCuda(*cuda_, cuda_->memset(p, 0, bytes), "cudaMemset");
    } else {
      p = std::aligned_alloc(256, (bytes + 255) / 256 * 256);
      std::memset(p, 0, bytes);
    }
    owned_.push_back(p);
    return p;
  }
  void Upload(void* dst, const void* src, size_t bytes) {
    if (cuda_) CheckCuda(*cuda_, cuda_->memcpy(dst, src, bytes, CudaApi::kMemcpyHostToDevice), "cudaMemcpy");
    else std::memcpy(dst, src, bytes);
  }
  void Release(void* p) {
    if (cuda_) cuda_->free(p);
    else std::free(p);
  }
  void Forget(void* p) { owned_.erase(std::remove(owned_.begin(), owned_.end(), p), owned_.end()); }

 private:
  const CudaApi* cuda_;
  std::vector<void*> owned_;
};

// The object TensorRT calls back into (first word: the vtable pointer).
struct CallerObject {
  void* const* vtable;
  void* owner;
};

struct Allocator {
  Memory* memory;
  std::map<std::string, std::pair<void*, uint64_t>> buffers;
  int growths = 0;

  void* Reallocate(const char* name, uint64_t size) {
    auto& slot = buffers[name];
    if (slot.second < size) {
      // Growth happens during warm-up; timed iterations reuse the buffer.
      if (slot.first) {
        memory->Forget(slot.first);
        memory->Release(slot.first);
      }
      slot.first = memory->Alloc(size);
      slot.second = size;
      ++growths;
    }
    return slot.first;
  }
};

Allocator* OwnerOf(void* self) { return static_cast<Allocator*>(static_cast<CallerObject*>(self)->owner); }
void* ReallocateThunk(void* self, const char* name, void*, uint64_t size, uint64_t) {
  return OwnerOf(self)->Reallocate(name, size);
}
void* ReallocateAsyncThunk(void* self, const char* name, void*, uint64_t size, uint64_t, void*) {
  return OwnerOf(self)->Reallocate(name, size);
}
void NotifyShapeThunk(void*, const char*, const Dims64*) {}
void LogThunk(void*, int32_t severity, const char* message) {
  if (severity <= 1) std::fprintf(stderr, "floor: TensorRT: %s\n", message);
}
void NoopDestructor(void*) {}
int32_t ApiLanguageCpp(void*) { return 0; }

template <class I>
trt_abi::InterfaceInfo InfoOf(void*) {
  return trt_abi::InterfaceInfo{I::kInterfaceKind, I::kInterfaceMajor, I::kInterfaceMinor};
}

// A vtable laid out as the Itanium ABI does: two words before the slots.
template <int N>
struct Vtable {
  void* words[N + 2] = {};
  void* const* vptr() const { return words + 2; }
  template <class Fn>
  void Set(int slot, Fn fn) {
    words[slot + 2] = reinterpret_cast<void*>(fn);
  }
};

template <class I, int N>
void FillBase(Vtable<N>& v) {
  if constexpr (I::kVersioned) {
    v.Set(I::getAPILanguage::slot, &ApiLanguageCpp);
    v.Set(I::getInterfaceInfo::slot, &InfoOf<I>);
  }
  v.Set(I::destructor_complete::slot, &NoopDestructor);
  v.Set(I::destructor_deleting::slot, &NoopDestructor);
}

// Calls slot M of an object TensorRT returned: public classes hold a pointer
// to the implementation object, whose vtable has the slots.
template <class V, class M, class... A>
auto Call(void* wrapper, A... args) {
  void* impl = *reinterpret_cast<void**>(static_cast<char*>(wrapper) + V::kImplPointerOffset);
  void* const* vtable = *reinterpret_cast<void* const* const*>(impl);
  return reinterpret_cast<typename M::Fn>(vtable[M::slot])(impl, args...);
}

size_t ElementBytes(int32_t bits) { return std::max<int32_t>(bits, 8) / 8; }

// Inputs with values a kernel does real work on: floats in [-0.5, 1), and
// integers where about one in three is zero (so NonZero finds some).
std::vector<uint8_t> InputBytes(int32_t dtype, size_t count, size_t elementBytes) {
  std::vector<uint8_t> bytes(count * elementBytes, 0);
  for (size_t i = 0; i < count; ++i) {
    if (dtype == 0) {
      const float v = static_cast<float>(i % 7) * 0.25f - 0.5f;
      std::memcpy(&bytes[i * 4], &v, 4);
    } else if (dtype == 3) {
      const int32_t v = i % 3 == 0 ? 0 : static_cast<int32_t>(i);
      std::memcpy(&bytes[i * 4], &v, 4);
    }
  }
  return bytes;
}

// The emulator's own description (a JSON object), or null for real TensorRT.
const char* EmulatorInfo(void* lib) {
  using InfoFn = const char* (*)();
  auto info = reinterpret_cast<InfoFn>(dlsym(lib, "trtEmulatorInfo"));
  return info ? info() : nullptr;
}

bool RunsOnCuda(const char* emulatorInfo) {
  if (!emulatorInfo) return true;  // real TensorRT always runs on the GPU
  return std::strstr(emulatorInfo, "\"mode\":\"cuda\"") != nullptr;
}

template <class V>
int Run(void* lib, const Args& args, const CudaApi* cuda, const char* emulatorInfo) {
  const bool isEmulator = emulatorInfo != nullptr;
  using RT = typename V::VRuntime;
  using EN = typename V::VCudaEngine;
  using CX = typename V::VExecutionContext;
  using L = typename V::ILogger;
  using OA = typename V::IOutputAllocator;

  static Vtable<L::kVtableSize> loggerTable;
  FillBase<L>(loggerTable);
  loggerTable.Set(L::log::slot, &LogThunk);
  static Vtable<OA::kVtableSize> allocatorTable;
  FillBase<OA>(allocatorTable);
  allocatorTable.Set(OA::reallocateOutput::slot, &ReallocateThunk);
  allocatorTable.Set(OA::reallocateOutputAsync::slot, &ReallocateAsyncThunk);
  allocatorTable.Set(OA::notifyShape::slot, &NotifyShapeThunk);

  CallerObject logger{loggerTable.vptr(), nullptr};
  auto create = reinterpret_cast<typename V::EntryPoints::createInferRuntime_INTERNAL::Fn>(
      dlsym(lib, V::EntryPoints::createInferRuntime_INTERNAL::symbol));
  auto version = reinterpret_cast<typename V::EntryPoints::getInferLibVersion::Fn>(
      dlsym(lib, V::EntryPoints::getInferLibVersion::symbol));
  void* runtime = create(&logger, version());
  if (!runtime) Fail("createInferRuntime failed");

  std::ifstream file(args.plan, std::ios::binary);
  if (!file) Fail("cannot read " + args.plan);
  std::vector<char> blob((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  void* engine = Call<V, typename RT::deserializeCudaEngine>(runtime, static_cast<void*>(blob.data()),
                                                             static_cast<uint64_t>(blob.size()));
  if (!engine) Fail("deserializeCudaEngine failed for " + args.plan);
  void* context = Call<V, typename EN::createExecutionContext>(engine, int32_t{0});
  if (!context) Fail("createExecutionContext failed");

  Memory memory(cuda);
  Allocator allocator{&memory, {}, 0};
  CallerObject allocatorObject{allocatorTable.vptr(), &allocator};
  void* stream = nullptr;
  if (cuda) CheckCuda(*cuda, cuda->streamCreateWithFlags(&stream, CudaApi::kStreamNonBlocking), "cudaStreamCreate");

  // Bind every tensor once, to buffers big enough for every shape set.
  const int32_t count = Call<V, typename EN::getNbIOTensors>(engine);
  std::vector<std::string> names;
  bool dataDependent = false;
  for (int32_t i = 0; i < count; ++i) names.emplace_back(Call<V, typename EN::getIOTensorName>(engine, i));
  std::map<std::string, size_t> needBytes;
  for (const auto& set : args.shapeSets) {
    for (const auto& name : names) {
      const int32_t io = Call<V, typename EN::getTensorIOMode>(engine, name.c_str());
      if (io != static_cast<int32_t>(V::TensorIOMode::kINPUT)) continue;
      auto found = set.find(name);
      Dims64 dims{};
      if (found == set.end()) {
        dims = Call<V, typename EN::getTensorShape>(engine, name.c_str());
        for (int d = 0; d < dims.nbDims; ++d) {
          if (dims.d[d] < 0) Fail("input \"" + name + "\" has a dynamic shape: give it with --shapes");
        }
      } else {
        dims.nbDims = static_cast<int32_t>(found->second.size());
        for (int d = 0; d < dims.nbDims; ++d) dims.d[d] = found->second[d];
      }
      if (!Call<V, typename CX::setInputShape>(context, name.c_str(), &dims)) Fail("setInputShape failed for " + name);
    }
    for (const auto& name : names) {
      const Dims64 dims = Call<V, typename CX::getTensorShape>(context, name.c_str());
      const int32_t dtype = Call<V, typename EN::getTensorDataType>(engine, name.c_str());
      size_t elements = 1;
      bool unknown = false;
      for (int d = 0; d < dims.nbDims; ++d) {
        if (dims.d[d] < 0) unknown = true;
        else elements *= static_cast<size_t>(dims.d[d]);
      }
      if (unknown) {
        dataDependent = true;
        continue;
      }
      const size_t bytes = elements * ElementBytes(V::dataTypeBits(static_cast<typename V::DataType>(dtype)));
      needBytes[name] = std::max(needBytes[name], bytes);
    }
  }
  for (const auto& name : names) {
    const Dims64 dims = Call<V, typename CX::getTensorShape>(context, name.c_str());
    const bool unknown = std::any_of(dims.d, dims.d + dims.nbDims, [](int64_t d) { return d < 0; });
    const int32_t io = Call<V, typename EN::getTensorIOMode>(engine, name.c_str());
    if (unknown && io != static_cast<int32_t>(V::TensorIOMode::kINPUT)) {
      if (!Call<V, typename CX::setOutputAllocator>(context, name.c_str(), static_cast<void*>(&allocatorObject))) {
        Fail("setOutputAllocator failed for " + name);
      }
      continue;
    }
    const size_t bytes = needBytes[name];
    void* address = memory.Alloc(bytes);
    if (io == static_cast<int32_t>(V::TensorIOMode::kINPUT)) {
      const int32_t dtype = Call<V, typename EN::getTensorDataType>(engine, name.c_str());
      const size_t eb = ElementBytes(V::dataTypeBits(static_cast<typename V::DataType>(dtype)));
      const auto data = InputBytes(dtype, bytes / eb, eb);
      memory.Upload(address, data.data(), data.size());
    }
    if (!Call<V, typename CX::setTensorAddress>(context, name.c_str(), address)) Fail("setTensorAddress failed for " + name);
  }

  // Shapes per set, as setInputShape wants them, for the alternating loop.
  std::vector<std::vector<std::pair<std::string, Dims64>>> sets;
  for (const auto& set : args.shapeSets) {
    std::vector<std::pair<std::string, Dims64>> packed;
    for (const auto& [name, dims] : set) {
      Dims64 d{};
      d.nbDims = static_cast<int32_t>(dims.size());
      std::copy(dims.begin(), dims.end(), d.d);
      packed.emplace_back(name, d);
    }
    sets.push_back(packed);
  }
  const bool alternate = sets.size() > 1;
  auto applyShapes = [&](size_t index) {
    for (const auto& [name, dims] : sets[index]) Call<V, typename CX::setInputShape>(context, name.c_str(), &dims);
  };
  applyShapes(0);

  std::string unsupported;
  if (args.mode == "graph" && !cuda) unsupported = "CUDA graphs need the emulator in CUDA mode (or TensorRT) on a GPU";
  if (args.mode == "graph" && dataDependent) unsupported = "an engine with data-dependent output shapes cannot be captured";

  std::vector<void*> graphs;
  if (unsupported.empty() && args.mode == "graph") {
    // One graph per shape set; the enqueue before each capture lets TensorRT
    // finish any lazy setup outside the capture, as TensorRT advises.
    for (size_t s = 0; s < sets.size(); ++s) {
      applyShapes(s);
      if (!Call<V, typename CX::enqueueV3>(context, stream)) Fail("enqueueV3 failed before capture");
      CheckCuda(*cuda, cuda->streamSynchronize(stream), "cudaStreamSynchronize");
      CheckCuda(*cuda, cuda->streamBeginCapture(stream, CudaApi::kCaptureModeThreadLocal), "cudaStreamBeginCapture");
      const bool enqueued = Call<V, typename CX::enqueueV3>(context, stream);
      cudaGraph_t graph = nullptr;
      CheckCuda(*cuda, cuda->streamEndCapture(stream, &graph), "cudaStreamEndCapture");
      if (!enqueued) Fail("enqueueV3 failed during capture");
      cudaGraphExec_t exec = nullptr;
      CheckCuda(*cuda, cuda->graphInstantiate(&exec, graph, 0), "cudaGraphInstantiate");
      cuda->graphDestroy(graph);
      graphs.push_back(exec);
    }
  }

  std::vector<double> host;
  std::vector<double> device;
  if (unsupported.empty()) {
    // One call: a graph launch, or (new shapes when alternating) an enqueue.
    auto call = [&](int n) {
      const size_t s = static_cast<size_t>(n) % sets.size();
      if (!graphs.empty()) {
        CheckCuda(*cuda, cuda->graphLaunch(graphs[s], stream), "cudaGraphLaunch");
      } else {
        if (alternate) applyShapes(s);
        if (!Call<V, typename CX::enqueueV3>(context, stream)) Fail("enqueueV3 failed");
      }
    };
    // Host time first, with nothing else in the loop: recording events costs host time too.
    host.reserve(args.iterations);
    for (int n = 0; n < args.warmup + args.iterations; ++n) {
      const auto start = std::chrono::steady_clock::now();
      call(n);
      if (cuda) CheckCuda(*cuda, cuda->streamSynchronize(stream), "cudaStreamSynchronize");
      const auto end = std::chrono::steady_clock::now();
      if (n >= args.warmup) host.push_back(std::chrono::duration<double, std::micro>(end - start).count());
    }
    // Then device time, from events recorded around the same calls.
    if (cuda) {
      cudaEvent_t before = nullptr;
      cudaEvent_t after = nullptr;
      CheckCuda(*cuda, cuda->eventCreate(&before), "cudaEventCreate");
      CheckCuda(*cuda, cuda->eventCreate(&after), "cudaEventCreate");
      device.reserve(args.iterations);
      for (int n = 0; n < args.iterations; ++n) {
        cuda->eventRecord(before, stream);
        call(n);
        cuda->eventRecord(after, stream);
        CheckCuda(*cuda, cuda->streamSynchronize(stream), "cudaStreamSynchronize");
        float ms = 0;
        CheckCuda(*cuda, cuda->eventElapsedTime(&ms, before, after), "cudaEventElapsedTime");
        device.push_back(static_cast<double>(ms) * 1000.0);
      }
      cuda->eventDestroy(before);
      cuda->eventDestroy(after);
    }
  }
  for (void* exec : graphs) cuda->graphExecDestroy(exec);

  std::printf("{\"major\":%d,\"library\":\"%s\",\"onDevice\":%s,\"mode\":\"%s\",\"iterations\":%zu,"
              "\"dataDependent\":%s,\"allocatorGrowths\":%d,\"host\":%s,\"device\":%s",
              V::kMajor, isEmulator ? "emulator" : "tensorrt", cuda ? "true" : "false", args.mode.c_str(),
              host.size(), dataDependent ? "true" : "false", allocator.growths, StatsJson(host).c_str(),
              cuda && !device.empty() ? StatsJson(device).c_str() : "null");
  std::printf(",\"emulator\":%s", isEmulator ? emulatorInfo : "null");
  if (!unsupported.empty()) std::printf(",\"unsupported\":\"%s\"", unsupported.c_str());
  std::printf("}\n");
  if (stream) cuda->streamDestroy(stream);
  return 0;
}

}  // namespace
}  // namespace floorbench

int main(int argc, char** argv) {
  using namespace floorbench;
  const Args args = ParseArgs(argc, argv);
  void* lib = dlopen(args.nvinfer.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!lib) Fail(std::string("cannot load ") + args.nvinfer + ": " + dlerror());
  const char* emulatorInfo = EmulatorInfo(lib);
  const CudaApi* cuda = nullptr;
  if (RunsOnCuda(emulatorInfo)) {
    std::string why;
    cuda = LoadCudaApi(why);
    if (!cuda) Fail("the library runs on CUDA but the CUDA runtime is unusable: " + why);
  }
  using MajorFn = int32_t (*)();
  auto major = reinterpret_cast<MajorFn>(dlsym(lib, "getInferLibMajorVersion"));
  if (!major) Fail("not a TensorRT library: getInferLibMajorVersion is missing");
  switch (major()) {
    case 10: return Run<trt_abi::V10>(lib, args, cuda, emulatorInfo);
    case 11: return Run<trt_abi::V11>(lib, args, cuda, emulatorInfo);
    default: Fail("unsupported TensorRT major " + std::to_string(major()));
  }
}
