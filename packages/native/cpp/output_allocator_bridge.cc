#include "output_allocator_bridge.h"

#include <cmath>

#include "engine_description.h"
#include "errors.h"

namespace trtn {

void* OutputAllocatorOnReallocate(void* owner, const char* tensorName, void* currentMemory, uint64_t size,
                                  uint64_t alignment, void* stream) noexcept {
  return static_cast<OutputAllocatorBridge*>(owner)->OnReallocate(tensorName, currentMemory, size, alignment, stream);
}

void OutputAllocatorOnNotifyShape(void* owner, const char* tensorName, const trt_abi::Dims64* dims) noexcept {
  static_cast<OutputAllocatorBridge*>(owner)->OnNotifyShape(tensorName, dims);
}

OutputAllocatorBridge::OutputAllocatorBridge(Napi::Object hooks, void* const* vtable, HookErrors* errors,
                                             std::shared_ptr<Dispatcher> dispatcher, Logger* logger)
    : object_{vtable, this},
      target_(std::make_shared<Target>()),
      errors_(errors),
      dispatcher_(std::move(dispatcher)),
      logger_(logger),
      env_(hooks.Env()) {
  target_->hooks = Napi::Persistent(hooks);
  target_->reallocate = Napi::Persistent(hooks.Get("reallocate").As<Napi::Function>());
  target_->notifyShape = Napi::Persistent(hooks.Get("notifyShape").As<Napi::Function>());
}

void* OutputAllocatorBridge::OnReallocate(const char* tensorName, void* current, uint64_t size, uint64_t alignment,
                                          void* stream) noexcept {
  const std::string name = tensorName != nullptr ? tensorName : "";
  try {
    if (!dispatcher_->OnJsThread()) {
      logger_->OnLog(Logger::kError, ("@trt/native: the output allocator for '" + name +
                                      "' was called off the JS thread; its JS hook cannot run there, allocation "
                                      "refused")
                                         .c_str());
      return nullptr;
    }
    if (errors_->pending()) return nullptr;
    Napi::Env env(env_);
    Napi::HandleScope scope(env);
    Napi::Value result;
    try {
      result = target_->reallocate.Call(
          target_->hooks.Value(),
          {Napi::String::New(env, name), Napi::Number::New(env, static_cast<double>(reinterpret_cast<uintptr_t>(current))),
           Napi::Number::New(env, static_cast<double>(size)), Napi::Number::New(env, static_cast<double>(alignment)),
           Napi::Number::New(env, static_cast<double>(reinterpret_cast<uintptr_t>(stream)))});
    } catch (const Napi::Error& e) {
      errors_->Capture(e);
      return nullptr;
    }
    const double address = result.IsNumber() ? result.As<Napi::Number>().DoubleValue() : -1;
    if (!(address >= 0 && address <= 9007199254740991.0) || std::floor(address) != address) {
      // Reported as the error of the execute() that made TensorRT ask.
      errors_->Capture(InputFailure("device", "the output allocator's reallocate() for '" + name + "'",
                                    "an address (a non-negative integer, or 0 to refuse)", result.ToString().Utf8Value(), name)
                           .ToJs(env));
      return nullptr;
    }
    return reinterpret_cast<void*>(static_cast<uintptr_t>(address));
  } catch (...) {
    return nullptr;
  }
}

void OutputAllocatorBridge::OnNotifyShape(const char* tensorName, const trt_abi::Dims64* dims) noexcept {
  try {
    const std::string name = tensorName != nullptr ? tensorName : "";
    const Dims64 copy = dims != nullptr ? *dims : Dims64{-1, {}};
    if (dispatcher_->OnJsThread()) {
      if (errors_->pending()) return;
      Napi::Env env(env_);
      Napi::HandleScope scope(env);
      try {
        target_->notifyShape.Call(target_->hooks.Value(), {Napi::String::New(env, name), DimsToJs(env, copy)});
      } catch (const Napi::Error& e) {
        errors_->Capture(e);
      }
      return;
    }
    std::weak_ptr<Target> weak = target_;
    dispatcher_->Post([weak, name, copy](Napi::Env env) {
      auto target = weak.lock();
      if (!target) return;
      target->notifyShape.Call(target->hooks.Value(), {Napi::String::New(env, name), DimsToJs(env, copy)});
    });
  } catch (...) {
  }
}

}  // namespace trtn
