// The JS Engine object (EngineHandle of the engine contract): cached info,
// execution contexts, serialization, the inspector, release.
#pragma once

#include <napi.h>

#include <memory>

#include "handles.h"

namespace trtn {

class EngineWrap : public Napi::ObjectWrap<EngineWrap> {
 public:
  static Napi::Function Define(Napi::Env env);
  static Napi::Object Create(Napi::Env env, std::shared_ptr<EngineHandle> engine);
  explicit EngineWrap(const Napi::CallbackInfo& info);

 private:
  EngineHandle& Live(const char* method);

  Napi::Value Info(const Napi::CallbackInfo& info);
  Napi::Value Released(const Napi::CallbackInfo& info);
  Napi::Value CreateContext(const Napi::CallbackInfo& info);
  Napi::Value Serialize(const Napi::CallbackInfo& info);
  Napi::Value EngineInformation(const Napi::CallbackInfo& info);
  Napi::Value LayerInformation(const Napi::CallbackInfo& info);
  Napi::Value GetWeightStreamingBudget(const Napi::CallbackInfo& info);
  void SetWeightStreamingBudget(const Napi::CallbackInfo& info, const Napi::Value& value);
  Napi::Value WeightStreamingAutomaticBudget(const Napi::CallbackInfo& info);
  Napi::Value WeightStreamingScratchMemoryBytes(const Napi::CallbackInfo& info);
  Napi::Value Release(const Napi::CallbackInfo& info);

  // The inspector JSON for the engine, optionally with a context's shapes.
  std::string Inspect(Napi::Value context, int32_t layerIndex);

  std::shared_ptr<EngineHandle> engine_;
  Napi::ObjectReference info_;  // built once; stays readable after release()
};

}  // namespace trtn
