#include "engine_wrap.h"

#include <cstring>

#include "addon_data.h"
#include "receiver.h"
#include "context_wrap.h"
#include "errors.h"
#include "js_args.h"

namespace trtn {
namespace {

// ExecutionContextAllocationStrategy by the contract's names.
int32_t StrategyFromName(const std::string& name) {
  if (name == "static") return abi_enum::kStrategyStatic;
  if (name == "on_profile_change") return abi_enum::kStrategyOnProfileChange;
  if (name == "user_managed") return abi_enum::kStrategyUserManaged;
  throw InputFailure("argument", "createContext", "strategy: 'static', 'on_profile_change' or 'user_managed'", "'" + name + "'");
}

}  // namespace

Napi::Function EngineWrap::Define(Napi::Env env) {
  return DefineClass(env, "Engine",
                     {
                         InstanceAccessor<&EngineWrap::Info>("info"),
                         InstanceAccessor<&EngineWrap::Released>("released"),
                         InstanceAccessor<&EngineWrap::GetWeightStreamingBudget, &EngineWrap::SetWeightStreamingBudget>(
                             "weightStreamingBudget"),
                         InstanceAccessor<&EngineWrap::WeightStreamingAutomaticBudget>("weightStreamingAutomaticBudget"),
                         InstanceAccessor<&EngineWrap::WeightStreamingScratchMemoryBytes>(
                             "weightStreamingScratchMemoryBytes"),
                         InstanceMethod<&EngineWrap::CreateContext>("createContext"),
                         InstanceMethod<&EngineWrap::Serialize>("serialize"),
                         InstanceMethod<&EngineWrap::EngineInformation>("engineInformation"),
                         InstanceMethod<&EngineWrap::LayerInformation>("layerInformation"),
                         InstanceMethod<&EngineWrap::Release>("release"),
                     });
}

Napi::Object EngineWrap::Create(Napi::Env env, std::shared_ptr<EngineHandle> engine) {
  Napi::Object obj;
  {
    InternalConstruction internal;
    obj = Data(env).engineClass.New({});
  }
  obj.TypeTag(&kEngineTag);
  EngineWrap* self = Unwrap(obj);
  self->info_ = Napi::Persistent(EngineInfoToJs(env, engine->description));
  self->engine_ = std::move(engine);
  return obj;
}

EngineWrap::EngineWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<EngineWrap>(info) {
  if (!InternalConstruction::active()) {
    throw Napi::TypeError::New(info.Env(), "Engine objects come from backend.deserialize()");
  }
}

EngineHandle& EngineWrap::Live(const char* method) {
  if (!engine_) throw ReleasedFailure("Engine", method);
  return *engine_;
}

Napi::Value EngineWrap::Info(const Napi::CallbackInfo& info) {
  RequireReceiver(info, kEngineTag, "Engine");
  return info_.Value();
}

Napi::Value EngineWrap::Released(const Napi::CallbackInfo& info) {
  RequireReceiver(info, kEngineTag, "Engine");
  return Napi::Boolean::New(info.Env(), !engine_);
}

// createContext(strategy = "static")
Napi::Value EngineWrap::CreateContext(const Napi::CallbackInfo& info) {
  RequireReceiver(info, kEngineTag, "Engine");
  return Guard(info.Env(), [&]() -> Napi::Value {
    EngineHandle& e = Live("createContext");
    const int32_t strategy =
        info[0].IsUndefined() ? abi_enum::kStrategyStatic : StrategyFromName(StringArg(info[0], "createContext: strategy"));
    const AbiTable& abi = e.abi();
    const uint64_t mark = e.logger().Mark();
    void* context = abi.Call(abi.engine.createExecutionContext, e.engine, strategy);
    if (context == nullptr) {
      e.logger().Drain(info.Env());
      throw TensorRTFailure("ICudaEngine::createExecutionContext", e.logger().ErrorSince(mark));
    }
    auto owned = std::make_shared<ExecutionContext>(engine_, context, Data(info.Env()).dispatcher);
    return ContextWrap::Create(info.Env(), std::move(owned));
  });
}

// serialize() -> Uint8Array holding a copy of the plan (IHostMemory is freed).
Napi::Value EngineWrap::Serialize(const Napi::CallbackInfo& info) {
  RequireReceiver(info, kEngineTag, "Engine");
  return Guard(info.Env(), [&]() -> Napi::Value {
    EngineHandle& e = Live("serialize");
    const AbiTable& abi = e.abi();
    const uint64_t mark = e.logger().Mark();
    void* memory = abi.Call(abi.engine.serialize, e.engine);
    if (memory == nullptr) throw TensorRTFailure("ICudaEngine::serialize", e.logger().ErrorSince(mark));
    struct Free {
      const AbiTable& abi;
      void* memory;
      ~Free() { abi.Destroy(memory); }
    } free{abi, memory};
    const void* data = abi.Call(abi.hostMemory.data, memory);
    const uint64_t size = abi.Call(abi.hostMemory.size, memory);
    Napi::ArrayBuffer buffer = Napi::ArrayBuffer::New(info.Env(), size);
    if (size > 0) std::memcpy(buffer.Data(), data, size);
    return Napi::Uint8Array::New(info.Env(), size, buffer, 0);
  });
}

std::string EngineWrap::Inspect(Napi::Value contextValue, int32_t layerIndex) {
  EngineHandle& e = Live(layerIndex < 0 ? "engineInformation" : "layerInformation");
  const AbiTable& abi = e.abi();
  ExecutionContext* context = nullptr;
  if (!contextValue.IsUndefined() && !contextValue.IsNull()) {
    context = ContextWrap::FromValue(contextValue, "context");
    if (context->engine().get() != engine_.get()) {
      throw InputFailure("argument", "context", "an execution context of this engine", "a context of another engine");
    }
  }
  const uint64_t mark = e.logger().Mark();
  void* inspector = abi.Call(abi.engine.createEngineInspector, e.engine);
  if (inspector == nullptr) throw TensorRTFailure("ICudaEngine::createEngineInspector", e.logger().ErrorSince(mark));
  struct Free {
    const AbiTable& abi;
    void* inspector;
    ~Free() { abi.Destroy(inspector); }
  } free{abi, inspector};
  if (context != nullptr && !abi.Call(abi.inspector.setExecutionContext, inspector, context->trtContext())) {
    throw TensorRTFailure("IEngineInspector::setExecutionContext", e.logger().ErrorSince(mark));
  }
  constexpr int32_t kJson = abi_enum::kLayerInfoJson;
  const char* text = layerIndex < 0 ? abi.Call(abi.inspector.getEngineInformation, inspector, kJson)
                                    : abi.Call(abi.inspector.getLayerInformation, inspector, layerIndex, kJson);
  if (text == nullptr) {
    throw TensorRTFailure(layerIndex < 0 ? "IEngineInspector::getEngineInformation"
                                         : "IEngineInspector::getLayerInformation",
                          e.logger().ErrorSince(mark));
  }
  return text;  // copied before the inspector (which owns the text) is freed
}

// engineInformation(context?) -> JSON string
Napi::Value EngineWrap::EngineInformation(const Napi::CallbackInfo& info) {
  RequireReceiver(info, kEngineTag, "Engine");
  return Guard(info.Env(), [&]() -> Napi::Value { return Napi::String::New(info.Env(), Inspect(info[0], -1)); });
}

// layerInformation(layerIndex, context?) -> JSON string
Napi::Value EngineWrap::LayerInformation(const Napi::CallbackInfo& info) {
  RequireReceiver(info, kEngineTag, "Engine");
  return Guard(info.Env(), [&]() -> Napi::Value {
    const uint64_t index = IndexArg(info[0], "layerInformation: layerIndex");
    const EngineHandle& e = Live("layerInformation");
    if (index >= static_cast<uint64_t>(e.description.layerCount)) {
      throw InputFailure("argument", "layerInformation",
                         "layerIndex below " + std::to_string(e.description.layerCount) + " (the engine's layers)",
                         std::to_string(index));
    }
    return Napi::String::New(info.Env(), Inspect(info[1], static_cast<int32_t>(index)));
  });
}

Napi::Value EngineWrap::GetWeightStreamingBudget(const Napi::CallbackInfo& info) {
  RequireReceiver(info, kEngineTag, "Engine");
  return Guard(info.Env(), [&]() -> Napi::Value {
    EngineHandle& e = Live("weightStreamingBudget");
    return Napi::Number::New(info.Env(),
                             static_cast<double>(e.abi().Call(e.abi().engine.getWeightStreamingBudgetV2, e.engine)));
  });
}

void EngineWrap::SetWeightStreamingBudget(const Napi::CallbackInfo& info, const Napi::Value& value) {
  RequireReceiver(info, kEngineTag, "Engine");
  Guard(info.Env(), [&]() {
    EngineHandle& e = Live("weightStreamingBudget");
    // setWeightStreamingBudgetV2 takes a byte count >= 0 (V1's special values
    // -1 and -2 do not exist in V2); a count at or above the streamable size
    // turns streaming off. TensorRT refuses the rest and says why in its log.
    const char* expected = "a whole number of bytes >= 0";
    if (!value.IsNumber()) throw InputFailure("argument", "weightStreamingBudget", expected, TypeOf(value));
    const double v = value.As<Napi::Number>().DoubleValue();
    if (!(v >= 0 && v <= 9007199254740991.0) || static_cast<double>(static_cast<int64_t>(v)) != v) {
      throw InputFailure("argument", "weightStreamingBudget", expected, TypeOf(value));
    }
    const uint64_t mark = e.logger().Mark();
    if (!e.abi().Call(e.abi().engine.setWeightStreamingBudgetV2, e.engine, static_cast<int64_t>(v))) {
      throw TensorRTFailure("ICudaEngine::setWeightStreamingBudgetV2", e.logger().ErrorSince(mark));
    }
  });
}

// getWeightStreamingAutomaticBudget(): TensorRT's own choice of budget.
Napi::Value EngineWrap::WeightStreamingAutomaticBudget(const Napi::CallbackInfo& info) {
  RequireReceiver(info, kEngineTag, "Engine");
  return Guard(info.Env(), [&]() -> Napi::Value {
    EngineHandle& e = Live("weightStreamingAutomaticBudget");
    return Napi::Number::New(
        info.Env(), static_cast<double>(e.abi().Call(e.abi().engine.getWeightStreamingAutomaticBudget, e.engine)));
  });
}

// getWeightStreamingScratchMemorySize(): the extra scratch a context needs at
// the current budget (0 while nothing streams).
Napi::Value EngineWrap::WeightStreamingScratchMemoryBytes(const Napi::CallbackInfo& info) {
  RequireReceiver(info, kEngineTag, "Engine");
  return Guard(info.Env(), [&]() -> Napi::Value {
    EngineHandle& e = Live("weightStreamingScratchMemoryBytes");
    return Napi::Number::New(
        info.Env(), static_cast<double>(e.abi().Call(e.abi().engine.getWeightStreamingScratchMemorySize, e.engine)));
  });
}

// release(): drops this object's hold on the engine. TensorRT's engine is
// destroyed once its last execution context is gone too. Idempotent.
Napi::Value EngineWrap::Release(const Napi::CallbackInfo& info) {
  RequireReceiver(info, kEngineTag, "Engine");
  engine_.reset();
  return info.Env().Undefined();
}

}  // namespace trtn
