// Per-environment state (the main thread and each worker_thread that loads
// the addon get their own): the JS classes, and the dispatcher that carries
// off-thread deliveries to this environment's JS thread.
#pragma once

#include <napi.h>

#include <memory>

#include "dispatcher.h"

namespace trtn {

struct AddonData {
  std::shared_ptr<Dispatcher> dispatcher;
  Napi::FunctionReference backendClass;
  Napi::FunctionReference engineClass;
  Napi::FunctionReference contextClass;
  Napi::FunctionReference memoryClass;
};

inline AddonData& Data(Napi::Env env) { return *env.GetInstanceData<AddonData>(); }

// Native objects are created by the addon only; `new Engine()` from JS is a
// TypeError. The flag is set around the internal construction.
class InternalConstruction {
 public:
  InternalConstruction() { active_ = true; }
  ~InternalConstruction() { active_ = false; }
  static bool active() { return active_; }

 private:
  static thread_local bool active_;
};

}  // namespace trtn
