#include "profiler_bridge.h"

namespace trtn {

void ProfilerOnReport(void* owner, const char* layerName, float milliseconds) noexcept {
  static_cast<ProfilerBridge*>(owner)->OnReport(layerName, milliseconds);
}

ProfilerBridge::ProfilerBridge(Napi::Function hook, void* const* vtable, HookErrors* errors,
                               std::shared_ptr<Dispatcher> dispatcher)
    : object_{vtable, this},
      target_(std::make_shared<Target>()),
      errors_(errors),
      dispatcher_(std::move(dispatcher)),
      env_(hook.Env()) {
  target_->fn = Napi::Persistent(hook);
}

void ProfilerBridge::OnReport(const char* layerName, float milliseconds) noexcept {
  std::string layer = layerName != nullptr ? layerName : "";
  try {
    if (dispatcher_->OnJsThread()) {
      if (errors_->pending() || target_->fn.IsEmpty()) return;
      Napi::Env env(env_);
      Napi::HandleScope scope(env);
      try {
        target_->fn.Call({Napi::String::New(env, layer), Napi::Number::New(env, milliseconds)});
      } catch (const Napi::Error& e) {
        errors_->Capture(e);
      }
      return;
    }
    std::weak_ptr<Target> weak = target_;
    dispatcher_->Post([weak, layer, milliseconds](Napi::Env env) {
      auto target = weak.lock();
      if (!target || target->fn.IsEmpty()) return;
      target->fn.Call({Napi::String::New(env, layer), Napi::Number::New(env, milliseconds)});
    });
  } catch (...) {
    // Nothing may unwind into TensorRT.
  }
}

}  // namespace trtn
