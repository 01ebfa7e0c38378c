// The JS ExecutionContext object (ExecutionContextHandle of the engine
// contract). execute() is the hot path: one call per inference, two typed
// arrays and a number in, no per-tensor calls and no allocation on the way.
#pragma once

#include <napi.h>

#include <memory>

#include "execution_context.h"

namespace trtn {

class ContextWrap : public Napi::ObjectWrap<ContextWrap> {
 public:
  static Napi::Function Define(Napi::Env env);
  static Napi::Object Create(Napi::Env env, std::shared_ptr<ExecutionContext> context);
  // The live context behind a JS value, checking by type tag that it is one
  // of ours; InputError or ReleasedError otherwise.
  static ExecutionContext* FromValue(Napi::Value value, const char* what);
  explicit ContextWrap(const Napi::CallbackInfo& info);
  // The native half of execute/executeSync/executeAsync (exported as
  // executeEntry; src/execute-methods.ts puts the methods on the prototype).
  static Napi::Value ExecuteEntry(const Napi::CallbackInfo& info);

 private:
  ExecutionContext& Live(const char* method);

  Napi::Value Released(const Napi::CallbackInfo& info);
  Napi::Value OptimizationProfile(const Napi::CallbackInfo& info);
  Napi::Value SetOptimizationProfile(const Napi::CallbackInfo& info);
  Napi::Value InferOutputShapes(const Napi::CallbackInfo& info);
  Napi::Value SetDeviceMemory(const Napi::CallbackInfo& info);
  Napi::Value DeviceMemoryBytesForShapes(const Napi::CallbackInfo& info);
  Napi::Value SetOutputAllocator(const Napi::CallbackInfo& info);
  Napi::Value SetProfiler(const Napi::CallbackInfo& info);
  Napi::Value ReportToProfiler(const Napi::CallbackInfo& info);
  Napi::Value Release(const Napi::CallbackInfo& info);

  std::shared_ptr<ExecutionContext> context_;
};

}  // namespace trtn
