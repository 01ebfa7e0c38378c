// The caller's side of the ABI, as the runtime will have it: dlopen the
// library, call methods through the wrapper -> impl -> vtable chain of the
// generated table, and implement ILogger / IProfiler / IOutputAllocator as
// raw vtables. Nothing here knows the emulator's internals.
#pragma once

#include <dlfcn.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <initializer_list>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "harness.h"

namespace t {

using trt_abi::Dims64;

void* library();  // dlopen'd once
template <class F>
F symbol(const char* name) {
  return reinterpret_cast<F>(dlsym(library(), name));
}
std::string emulatorInfo();  // trtEmulatorInfo()
bool cudaMode();             // info says "mode":"cuda"
std::string matmulBackend(); // trtEmulatorMatmulBackend(): "host", "kernel", "cublas" or "error"
int libMajor();

// ---- calling methods ---------------------------------------------------------
inline void* implOf(void* wrapper) {
  return *reinterpret_cast<void**>(static_cast<char*>(wrapper) + trt_abi::V10::kImplPointerOffset);
}

// call<typename V::VCudaEngine::getNbIOTensors>(engine)
template <class M, class... A>
auto call(void* wrapper, A... args) {
  void* impl = implOf(wrapper);
  void* const* vtable = *static_cast<void* const* const*>(impl);
  return reinterpret_cast<typename M::Fn>(vtable[M::slot])(impl, args...);
}

inline void destroy(void* wrapper) {
  if (!wrapper) return;
  void* const* vtable = *static_cast<void* const* const*>(wrapper);
  reinterpret_cast<void (*)(void*)>(vtable[trt_abi::V10::kDeletingDestructorSlot])(wrapper);
}

// Owns a library object; releases it through the wrapper's deleting destructor.
struct Owned {
  void* p = nullptr;
  Owned() = default;
  explicit Owned(void* q) : p(q) {}
  Owned(Owned&& o) noexcept : p(std::exchange(o.p, nullptr)) {}
  Owned& operator=(Owned&& o) noexcept {
    reset();
    p = std::exchange(o.p, nullptr);
    return *this;
  }
  ~Owned() { reset(); }
  void reset() { destroy(std::exchange(p, nullptr)); }
  void* get() const { return p; }
  explicit operator bool() const { return p != nullptr; }
};

// ---- shapes -------------------------------------------------------------------
inline Dims64 dims(std::initializer_list<int64_t> d) {
  Dims64 r{};
  r.nbDims = static_cast<int32_t>(d.size());
  int i = 0;
  for (int64_t v : d) r.d[i++] = v;
  return r;
}
inline std::string showDims(const Dims64& d) {
  if (d.nbDims < 0) return "[invalid]";
  std::string s = "[";
  for (int i = 0; i < d.nbDims && i < 8; ++i) s += (i ? "," : "") + std::to_string(d.d[i]);
  return s + "]";
}
#define CHECK_DIMS(actual, ...) CHECK_EQ(::t::showDims(actual), ::t::showDims(::t::dims(__VA_ARGS__)))

// ---- caller-implemented interfaces --------------------------------------------
struct LogEntry {
  int severity;
  std::string message;
};

// ILogger. V10: log at slot 0; V11: versioned interface, log at slot 4.
template <class V>
struct CaptureLogger {
  void* const* vptr;
  std::vector<LogEntry> entries;
  bool echo = std::getenv("EMU_TEST_ECHO_LOG") != nullptr;

  static void log(void* self, int32_t severity, const char* msg) {
    auto* l = static_cast<CaptureLogger*>(self);
    l->entries.push_back({severity, msg ? msg : ""});
    if (l->echo) std::fprintf(stderr, "    [log %d] %s\n", severity, msg ? msg : "");
  }
  static void dtor(void*) {}
  static int32_t apiLanguage(void*) { return 0; }
  static trt_abi::InterfaceInfo interfaceInfo(void*) { return {"ILogger", 1, 0}; }
  static void* const* table() {
    static void* t[V::ILogger::kVtableSize] = {};
    using L = typename V::ILogger;
    t[L::log::slot] = reinterpret_cast<void*>(&log);
    t[L::destructor_complete::slot] = reinterpret_cast<void*>(&dtor);
    t[L::destructor_deleting::slot] = reinterpret_cast<void*>(&dtor);
    if constexpr (L::kVersioned) {
      t[L::getAPILanguage::slot] = reinterpret_cast<void*>(&apiLanguage);
      t[L::getInterfaceInfo::slot] = reinterpret_cast<void*>(&interfaceInfo);
    }
    return t;
  }
  CaptureLogger() : vptr(table()) {}

  // Errors (kERROR or kINTERNAL_ERROR) whose text contains `part`.
  int errorsWith(const std::string& part) const {
    int n = 0;
    for (const LogEntry& e : entries) n += (e.severity <= 1 && e.message.find(part) != std::string::npos) ? 1 : 0;
    return n;
  }
  int errors() const { return errorsWith(""); }
  void clear() { entries.clear(); }
  std::string dump() const {
    std::string s;
    for (const LogEntry& e : entries) s += "[" + std::to_string(e.severity) + "] " + e.message + "\n";
    return s;
  }
};
#define CHECK_LOGGED(logger, part)                                                                    \
  do {                                                                                                \
    if ((logger).errorsWith(part) == 0)                                                               \
      ::t::fail(__FILE__, __LINE__, std::string("expected a logged error containing \"") + (part) +   \
                                        "\", log was:\n" + (logger).dump());                          \
  } while (0)
#define CHECK_NO_ERRORS(logger)                                                                        \
  do {                                                                                                 \
    if ((logger).errors() != 0) ::t::fail(__FILE__, __LINE__, "unexpected errors:\n" + (logger).dump()); \
  } while (0)

// IProfiler: records (layer, ms) in order.
template <class V>
struct RecordingProfiler {
  void* const* vptr;
  std::vector<std::pair<std::string, float>> reports;

  static void report(void* self, const char* layer, float ms) {
    static_cast<RecordingProfiler*>(self)->reports.emplace_back(layer ? layer : "", ms);
  }
  static void dtor(void*) {}
  static int32_t apiLanguage(void*) { return 0; }
  static trt_abi::InterfaceInfo interfaceInfo(void*) { return {"IProfiler", 1, 0}; }
  static void* const* table() {
    static void* t[V::IProfiler::kVtableSize] = {};
    using P = typename V::IProfiler;
    t[P::reportLayerTime::slot] = reinterpret_cast<void*>(&report);
    t[P::destructor_complete::slot] = reinterpret_cast<void*>(&dtor);
    t[P::destructor_deleting::slot] = reinterpret_cast<void*>(&dtor);
    if constexpr (P::kVersioned) {
      t[P::getAPILanguage::slot] = reinterpret_cast<void*>(&apiLanguage);
      t[P::getInterfaceInfo::slot] = reinterpret_cast<void*>(&interfaceInfo);
    }
    return t;
  }
  RecordingProfiler() : vptr(table()) {}
};

// ---- memory the library sees as "device" memory ----------------------------------
// Host mode: plain host memory. CUDA mode: cudaMalloc through a dlopen'd
// libcudart, so the tests need no CUDA headers either.
class Buffer {
 public:
  explicit Buffer(size_t bytes);
  ~Buffer();
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;
  void* get() const { return ptr_; }
  size_t size() const { return bytes_; }
  void upload(const void* src, size_t n, size_t offset = 0);
  void download(void* dst, size_t n, size_t offset = 0) const;
  void fill(uint8_t value);
  template <class T>
  void write(const std::vector<T>& v) { upload(v.data(), v.size() * sizeof(T)); }
  template <class T>
  std::vector<T> read(size_t count) const {
    std::vector<T> v(count);
    download(v.data(), count * sizeof(T));
    return v;
  }
  std::vector<uint8_t> bytes() const { return read<uint8_t>(bytes_); }

 private:
  void* ptr_ = nullptr;
  size_t bytes_ = 0;
};

void* deviceAlloc(size_t bytes);
void deviceFree(void* p);
void copyToHost(void* dst, const void* src, size_t n);

// The stream handed to enqueueV3 (host mode: an opaque non-null value the
// emulator must not touch), and a wait for it.
void* stream();
void sync();

// IOutputAllocator: allocates what is asked, records calls.
template <class V>
struct RecordingAllocator {
  void* const* vptr;
  struct Call {
    std::string name;
    uint64_t size;
    uint64_t alignment;
  };
  std::vector<Call> calls;
  std::map<std::string, Dims64> shapes;
  std::map<std::string, void*> memory;
  bool returnNull = false;

  static void* realloc(void* self, const char* name, void* /*current*/, uint64_t size, uint64_t alignment, void*) {
    auto* a = static_cast<RecordingAllocator*>(self);
    a->calls.push_back({name, size, alignment});
    if (a->returnNull) return nullptr;
    void*& slot = a->memory[name];
    if (slot) deviceFree(slot);
    slot = deviceAlloc(size);
    return slot;
  }
  static void* reallocSync(void* self, const char* name, void* current, uint64_t size, uint64_t alignment) {
    return realloc(self, name, current, size, alignment, nullptr);
  }
  static void notify(void* self, const char* name, const Dims64* d) {
    static_cast<RecordingAllocator*>(self)->shapes[name] = *d;
  }
  static void dtor(void*) {}
  static int32_t apiLanguage(void*) { return 0; }
  static trt_abi::InterfaceInfo interfaceInfo(void*) { return {"IOutputAllocator", 1, 0}; }
  static void* const* table() {
    using A = typename V::IOutputAllocator;
    static void* t[A::kVtableSize] = {};
    t[A::getAPILanguage::slot] = reinterpret_cast<void*>(&apiLanguage);
    t[A::getInterfaceInfo::slot] = reinterpret_cast<void*>(&interfaceInfo);
    t[A::destructor_complete::slot] = reinterpret_cast<void*>(&dtor);
    t[A::destructor_deleting::slot] = reinterpret_cast<void*>(&dtor);
    t[A::reallocateOutput::slot] = reinterpret_cast<void*>(&reallocSync);
    t[A::reallocateOutputAsync::slot] = reinterpret_cast<void*>(&realloc);
    t[A::notifyShape::slot] = reinterpret_cast<void*>(&notify);
    return t;
  }
  RecordingAllocator() : vptr(table()) {}
  ~RecordingAllocator() {
    for (auto& m : memory) deviceFree(m.second);
  }
  template <class T>
  std::vector<T> read(const std::string& name, size_t count) const {
    std::vector<T> v(count);
    if (count) copyToHost(v.data(), memory.at(name), count * sizeof(T));
    return v;
  }
};

// ---- fixtures and objects --------------------------------------------------------
std::vector<uint8_t> readFixture(const std::string& relative);  // fails the test run if missing

template <class V>
void* createRuntime(CaptureLogger<V>& logger) {
  auto create = symbol<void* (*)(void*, int32_t)>("createInferRuntime_INTERNAL");
  auto version = symbol<int32_t (*)()>("getInferLibVersion");
  return create(&logger, version());
}

template <class V>
void* deserialize(void* runtime, const std::vector<uint8_t>& plan) {
  return call<typename V::VRuntime::deserializeCudaEngine>(runtime, const_cast<uint8_t*>(plan.data()),
                                                           static_cast<uint64_t>(plan.size()));
}

// A runtime + engine for one fixture, released in the right order.
template <class V>
struct Loaded {
  CaptureLogger<V> logger;
  Owned runtime;
  Owned engine;
  explicit Loaded(const std::string& fixture) {
    runtime = Owned(createRuntime<V>(logger));
    if (runtime) engine = Owned(deserialize<V>(runtime.get(), readFixture(fixture + ".plan")));
  }
  ~Loaded() {
    engine.reset();
    runtime.reset();
  }
  void* context(int32_t strategy = 0) {
    return call<typename V::VCudaEngine::createExecutionContext>(engine.get(), strategy);
  }
};

}  // namespace t

// Shorthands for the slot structs of the table under test (inside TEST bodies).
#define RT(m) typename V::VRuntime::m
#define ENG(m) typename V::VCudaEngine::m
#define CTX(m) typename V::VExecutionContext::m
#define INS(m) typename V::VEngineInspector::m
#define CFG(m) typename V::VRuntimeConfig::m
#define MEM(m) typename V::VHostMemory::m
