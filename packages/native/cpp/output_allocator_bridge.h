// Our IOutputAllocator for one output tensor: reallocateOutput(Async) and
// notifyShape go to JS hooks ({ reallocate, notifyShape }).
//
// TensorRT calls these during enqueueV3, on the calling thread, and needs
// reallocate's answer (an address) before it can go on, so a hook must run
// synchronously: on the JS thread it is called directly. A JS exception, or a
// value that is not a valid address, makes reallocate return null (TensorRT
// then fails the enqueue) and the exception is rethrown by execute().
// Called on any other thread (not something TensorRT does for enqueueV3), a
// JS function cannot be run without blocking on the JS thread, which may be
// the very thread waiting for TensorRT: reallocate returns null and logs an
// error (so execute() fails with a TensorRTError naming the reason), and
// notifyShape is posted to the JS thread asynchronously.
#pragma once

#include <napi.h>

#include <memory>
#include <string>

#include "caller_vtables.h"
#include "dispatcher.h"
#include "hook_errors.h"
#include "logger.h"

namespace trtn {

class OutputAllocatorBridge {
 public:
  OutputAllocatorBridge(Napi::Object hooks, void* const* vtable, HookErrors* errors,
                        std::shared_ptr<Dispatcher> dispatcher, Logger* logger);
  OutputAllocatorBridge(const OutputAllocatorBridge&) = delete;
  OutputAllocatorBridge& operator=(const OutputAllocatorBridge&) = delete;

  void* TrtObject() { return &object_; }
  void* OnReallocate(const char* tensorName, void* current, uint64_t size, uint64_t alignment, void* stream) noexcept;
  void OnNotifyShape(const char* tensorName, const trt_abi::Dims64* dims) noexcept;

 private:
  struct Target {
    Napi::ObjectReference hooks;
    Napi::FunctionReference reallocate;
    Napi::FunctionReference notifyShape;
  };

  CallerObject object_;
  std::shared_ptr<Target> target_;
  HookErrors* errors_;
  std::shared_ptr<Dispatcher> dispatcher_;
  Logger* logger_;
  napi_env env_;
};

}  // namespace trtn
