// The JS Backend object (TensorRTBackend of the engine contract): one IRuntime
// of one loaded libnvinfer, its memory API, and the log sink.
#pragma once

#include <napi.h>

#include <memory>

#include "handles.h"

namespace trtn {

class BackendWrap : public Napi::ObjectWrap<BackendWrap> {
 public:
  static Napi::Function Define(Napi::Env env);
  // exports.openBackend({ nvinferPath?, cudartPath? }) -> Backend
  static Napi::Value Open(const Napi::CallbackInfo& info);
  explicit BackendWrap(const Napi::CallbackInfo& info);

 private:
  Napi::Value Implementation(const Napi::CallbackInfo& info);
  Napi::Value LibraryInfo(const Napi::CallbackInfo& info);
  Napi::Value Memory(const Napi::CallbackInfo& info);
  Napi::Value Deserialize(const Napi::CallbackInfo& info);
  Napi::Value DeserializeSync(const Napi::CallbackInfo& info);
  Napi::Value SetLogSink(const Napi::CallbackInfo& info);
  Napi::Value SetEngineHostCodeAllowed(const Napi::CallbackInfo& info);
  Napi::Value Plugins(const Napi::CallbackInfo& info);

  std::shared_ptr<RuntimeHandle> runtime_;
  Napi::ObjectReference library_;
  Napi::ObjectReference memory_;
  Napi::ObjectReference plugins_;  // made on first use
};

}  // namespace trtn
