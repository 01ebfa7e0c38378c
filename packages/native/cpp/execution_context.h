// One IExecutionContext and what the hot path needs around it, in plain C++:
// the packed-shape and address decoding of an ExecuteRequest, the cache of
// what is already set in TensorRT (so an unchanged shape or address costs a
// comparison, not a virtual call that re-validates), and the hooks TensorRT
// calls back into. The JS object (context_wrap) only unpacks arguments.
#pragma once

#include <napi.h>

#include <cstdint>
#include <memory>
#include <vector>

#include "dispatcher.h"
#include "handles.h"
#include "hook_errors.h"
#include "output_allocator_bridge.h"
#include "profiler_bridge.h"

namespace trtn {

class ExecutionContext {
 public:
  ExecutionContext(std::shared_ptr<EngineHandle> engine, void* context, std::shared_ptr<Dispatcher> dispatcher);
  // Destroys the TensorRT context, then the hooks it pointed at. JS thread.
  ~ExecutionContext();
  ExecutionContext(const ExecutionContext&) = delete;
  ExecutionContext& operator=(const ExecutionContext&) = delete;

  // `packed`: per input in io order, rank then dims (ExecuteRequest.inputShapes).
  void SetInputShapes(const double* packed, size_t length);
  // One address per I/O tensor in io order; 0 = none (outputs served by an
  // output allocator).
  void BindAddresses(const double* addresses, size_t length);
  // enqueueV3; rethrows a hook's JS exception first, else a TensorRTError.
  void Enqueue(void* stream);

  // Every output's shape as the context sees it now (-1: data-dependent).
  std::vector<Dims64> OutputShapes();
  void SetOptimizationProfile(int32_t index, void* stream);
  int32_t OptimizationProfile();
  void SetDeviceMemory(void* address, int64_t bytes);
  int64_t DeviceMemoryBytesForShapes();
  // `hooks` empty: remove. `ioIndex` must be an output.
  void SetOutputAllocator(int ioIndex, Napi::Object hooks);
  // `hook` empty: remove.
  void SetProfiler(Napi::Function hook, bool emitPerEnqueue);
  void ReportToProfiler();

#ifdef TRT_NATIVE_BENCH
  // The loop benchRawEnqueue times (bench/cpp/raw_enqueue.cc; only in the
  // benchmark build): enqueueV3 only, or the full rebind of every shape and
  // address before each enqueue as a C++ caller would do.
  double BenchRawEnqueue(int64_t iterations, void* stream, bool rebind);
#endif

  void* trtContext() const { return context_; }
  const std::shared_ptr<EngineHandle>& engine() const { return engine_; }
  const std::shared_ptr<DeviceMemory>& memory() const { return engine_->runtime->memory; }
  Logger& logger() const { return engine_->logger(); }

 private:
  [[noreturn]] void FailTensorRT(const char* method, uint64_t mark, const std::string& tensor = "");
  void InvalidateBindings();

  const std::shared_ptr<EngineHandle> engine_;
  const AbiTable& abi_;
  const EngineDescription& desc_;
  void* const context_;
  const std::shared_ptr<Dispatcher> dispatcher_;

  // What TensorRT currently has, per input (shapes) and per io tensor
  // (addresses); `nbDims == -1` / `bound == 0` mean "not set, call TensorRT".
  std::vector<Dims64> shapes_;
  std::vector<void*> addresses_;
  std::vector<char> bound_;

  HookErrors hookErrors_;
  std::vector<std::unique_ptr<OutputAllocatorBridge>> allocators_;  // per io index
  std::unique_ptr<ProfilerBridge> profiler_;
  // A hook replaced from inside a hook (while TensorRT is running one of its
  // methods) must outlive that call; it waits here until the call returns.
  // Otherwise a replaced hook is freed at once: TensorRT drops its pointer
  // when setOutputAllocator/setProfiler return.
  int hookDepth_ = 0;
  std::vector<std::unique_ptr<OutputAllocatorBridge>> retiredAllocators_;
  std::vector<std::unique_ptr<ProfilerBridge>> retiredProfilers_;
  // Marks a TensorRT call during which hooks may run (see hookDepth_); the
  // last one out frees the hooks retired meanwhile.
  class HookCall {
   public:
    explicit HookCall(ExecutionContext& c) : c_(c) { ++c_.hookDepth_; }
    ~HookCall() {
      if (--c_.hookDepth_ == 0) {
        c_.retiredAllocators_.clear();
        c_.retiredProfilers_.clear();
      }
    }

   private:
    ExecutionContext& c_;
  };
};

}  // namespace trtn
