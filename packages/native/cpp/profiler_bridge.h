// Our IProfiler: forwards reportLayerTime(layer, ms) to a JS function.
//
// TensorRT calls it during enqueueV3 (per enqueue when the context emits
// profiles per enqueue) or during reportToProfiler, on the thread that made
// that call. Both are JS calls here, so the normal case is the JS thread: the
// hook is called directly, synchronously, and a JS exception from it is
// rethrown by execute()/reportToProfiler() once TensorRT returns (later
// reports of that call are skipped). A report arriving on any other thread
// (a TensorRT build that reports from its own thread) is copied and posted to
// the JS thread through the Dispatcher: it arrives asynchronously, after the
// call returned, and an exception from the hook there is an uncaught
// exception.
#pragma once

#include <napi.h>

#include <memory>
#include <string>

#include "caller_vtables.h"
#include "dispatcher.h"
#include "hook_errors.h"

namespace trtn {

class ProfilerBridge {
 public:
  ProfilerBridge(Napi::Function hook, void* const* vtable, HookErrors* errors, std::shared_ptr<Dispatcher> dispatcher);
  ProfilerBridge(const ProfilerBridge&) = delete;
  ProfilerBridge& operator=(const ProfilerBridge&) = delete;

  void* TrtObject() { return &object_; }
  void OnReport(const char* layerName, float milliseconds) noexcept;

 private:
  // Shared with closures posted off-thread, so a late delivery after the
  // bridge is gone finds an empty reference instead of freed memory.
  struct Target {
    Napi::FunctionReference fn;
  };

  CallerObject object_;
  std::shared_ptr<Target> target_;
  HookErrors* errors_;
  std::shared_ptr<Dispatcher> dispatcher_;
  napi_env env_;
};

}  // namespace trtn
