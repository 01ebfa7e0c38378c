// The backend's memory API as a JS object (backend.memory): stream-ordered
// allocations, copies between JS memory and device memory, streams, and
// waiting for a stream without blocking the event loop.
#pragma once

#include <napi.h>

#include <memory>

#include "memory.h"

namespace trtn {

class MemoryWrap : public Napi::ObjectWrap<MemoryWrap> {
 public:
  static Napi::Function Define(Napi::Env env);
  static Napi::Object Create(Napi::Env env, std::shared_ptr<DeviceMemory> memory);
  explicit MemoryWrap(const Napi::CallbackInfo& info);

 private:
  Napi::Value Mode(const Napi::CallbackInfo& info);
  Napi::Value Alloc(const Napi::CallbackInfo& info);
  Napi::Value Free(const Napi::CallbackInfo& info);
  Napi::Value CopyHostToDevice(const Napi::CallbackInfo& info);
  Napi::Value CopyDeviceToHost(const Napi::CallbackInfo& info);
  Napi::Value CopyDeviceToDevice(const Napi::CallbackInfo& info);
  Napi::Value CreateStream(const Napi::CallbackInfo& info);
  Napi::Value DestroyStream(const Napi::CallbackInfo& info);
  Napi::Value Synchronize(const Napi::CallbackInfo& info);
  Napi::Value SynchronizeSync(const Napi::CallbackInfo& info);

  std::shared_ptr<DeviceMemory> memory_;
};

}  // namespace trtn
