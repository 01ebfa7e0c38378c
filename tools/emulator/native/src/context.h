// IExecutionContext's behaviour, independent of the ABI major: the active
// profile, input shapes and the shapes they imply, tensor addresses, output
// allocators, the profiler, and the context's device memory under its
// allocation strategy. Running a plan lives in enqueue.cpp.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "abi.h"
#include "backend.h"
#include "engine.h"
#include "memory_plan.h"
#include "runtime_cache.h"

namespace emu {

class Context {
 public:
  Context(std::shared_ptr<Engine> engine, AllocStrategy strategy, void* engineWrapper);
  ~Context();
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;

  // kSTATIC allocates its memory here; false (after logging) when that fails.
  bool init();

  Engine& engine() { return *engine_; }
  void* engineWrapper() const { return engineWrapper_; }
  AllocStrategy strategy() const { return strategy_; }

  void setName(const char* name) { name_ = name ? name : ""; }
  const char* name() const { return name_.c_str(); }

  // Profiling (profiler.cpp).
  void setProfiler(void* profiler) { profiler_ = profiler; }
  void* profiler() const { return profiler_; }
  void setEnqueueEmitsProfile(bool emits) { emitsProfile_ = emits; }
  bool enqueueEmitsProfile() const { return emitsProfile_; }
  bool reportToProfiler();

  // Profiles and shapes.
  int32_t optimizationProfile() const { return profile_; }
  bool setOptimizationProfile(int32_t index, void* stream);
  bool setInputShape(const char* name, const Dims64* dims);
  Dims64 tensorShape(const char* name);
  Dims64 tensorStrides(const char* name);
  bool allInputDimensionsSpecified() const;
  int32_t inferShapes(int32_t nbMaxNames, const char** names);

  // Addresses and output allocators.
  bool setTensorAddress(const char* name, void* data);
  void* tensorAddress(const char* name) const;
  bool setOutputAllocator(const char* name, void* allocator);
  void* outputAllocator(const char* name) const;
  int64_t maxOutputSize(const char* name);

  // Device memory (context_memory.cpp).
  void setDeviceMemory(void* memory, int64_t size, const char* method);
  uint64_t updateDeviceMemorySizeForShapes();

  // Runs the plan on `stream` (enqueue.cpp).
  bool enqueue(void* stream);

 private:
  const Logger& log() const { return engine_->logger(); }
  // Concrete shapes of every tensor for the current input shapes; false
  // (with `error`) when an input is unset or the shapes are inconsistent.
  bool currentShapes(std::string& error);
  const char* firstUnsetInput() const;
  // Makes sure this context's memory can hold `required` bytes (kSTATIC and
  // kON_PROFILE_CHANGE allocate; kUSER_MANAGED checks what the caller gave).
  bool ensureMemory(uint64_t required, const char* method);
  bool reallocateOwned(uint64_t bytes, const char* method);
  void releaseOwned();
  bool reportTimes(std::vector<float>& ms);
  // The runtime-cache entry of the current profile and input shapes.
  std::string kernelKey() const;

  std::shared_ptr<Engine> engine_;
  AllocStrategy strategy_;
  void* engineWrapper_;
  Backend& backend_;
  std::string name_;
  int32_t profile_ = 0;

  std::vector<Dims64> inputShapes_;  // by input ordinal; nbDims -1 = not set
  std::vector<Dims64> shapes_;       // by tensor, valid when !shapesDirty_
  bool shapesDirty_ = true;
  std::string shapesError_;

  std::vector<void*> addresses_;     // by tensor
  std::vector<void*> allocators_;    // by tensor (outputs only)
  std::vector<void*> allocated_;     // by tensor: what an allocator last returned

  void* profiler_ = nullptr;
  bool emitsProfile_ = true;
  std::unique_ptr<Timing> pendingTiming_;  // an enqueue's timings not yet reported

  void* memory_ = nullptr;   // the context's device memory (owned or the caller's)
  int64_t memorySize_ = 0;   // its size; -1 = caller gave no size (setDeviceMemory)
  bool ownsMemory_ = false;
  bool userMemorySet_ = false;

  // The runtime cache this context records into (runtime_cache.h), fixed at creation.
  std::shared_ptr<RuntimeCache> runtimeCache_;

  // The backend's per-context state (backend.h), e.g. the CUDA backend's cuBLAS handle.
  std::unique_ptr<BackendState> backendState_;
};

}  // namespace emu
