#include "context_wrap.h"

#include "addon_data.h"
#include "receiver.h"
#include "engine_description.h"
#include "errors.h"
#include "js_args.h"
#include "workers.h"

namespace trtn {
namespace {

// execute / executeSync / executeAsync(request) are small JS functions that
// read the request's three fields and pass them to one native entry point.
// Property reads are nearly free in optimized JS, while each one through
// Node-API interns the key and walks the object: doing them here takes about
// a third off the call's overhead (bench/overhead.mjs). A request that is not
// an object reaches the native side flagged, which reports an InputError.
// The first argument of executeEntry, as src/execute-methods.ts passes it.
enum ExecuteKind { kExecute = 0, kExecuteSync = 1, kExecuteAsync = 2, kNotAnObject = 8 };

void* StreamFast(napi_env env, napi_value value) {
  double v = 0;
  if (napi_get_value_double(env, value, &v) == napi_ok && v >= 0 && v <= 9007199254740991.0 &&
      static_cast<double>(static_cast<uint64_t>(v)) == v) {
    return reinterpret_cast<void*>(static_cast<uintptr_t>(v));
  }
  ClearPendingException(env);
  return PointerArg(Napi::Value(env, value), "stream", true);  // undefined -> 0, else the error
}

}  // namespace

Napi::Function ContextWrap::Define(Napi::Env env) {
  Napi::Function cls = DefineClass(env, "ExecutionContext",
                     {
                         InstanceAccessor<&ContextWrap::Released>("released"),
                         InstanceAccessor<&ContextWrap::OptimizationProfile>("optimizationProfile"),
                         InstanceMethod<&ContextWrap::SetOptimizationProfile>("setOptimizationProfile"),
                         InstanceMethod<&ContextWrap::InferOutputShapes>("inferOutputShapes"),
                         InstanceMethod<&ContextWrap::SetDeviceMemory>("setDeviceMemory"),
                         InstanceMethod<&ContextWrap::DeviceMemoryBytesForShapes>("deviceMemoryBytesForShapes"),
                         InstanceMethod<&ContextWrap::SetOutputAllocator>("setOutputAllocator"),
                         InstanceMethod<&ContextWrap::SetProfiler>("setProfiler"),
                         InstanceMethod<&ContextWrap::ReportToProfiler>("reportToProfiler"),
                         InstanceMethod<&ContextWrap::Release>("release"),
                     });
  return cls;
}

Napi::Object ContextWrap::Create(Napi::Env env, std::shared_ptr<ExecutionContext> context) {
  Napi::Object obj;
  {
    InternalConstruction internal;
    obj = Data(env).contextClass.New({});
  }
  obj.TypeTag(&kContextTag);  // receiver.h
  Unwrap(obj)->context_ = std::move(context);
  return obj;
}

ContextWrap::ContextWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<ContextWrap>(info) {
  if (!InternalConstruction::active()) {
    throw Napi::TypeError::New(info.Env(), "ExecutionContext objects come from engine.createContext()");
  }
}

ExecutionContext* ContextWrap::FromValue(Napi::Value value, const char* what) {
  if (!value.IsObject() || !HasTag(value.Env(), value, kContextTag)) {
    throw InputFailure("argument", what, "an ExecutionContext from engine.createContext()", TypeOf(value));
  }
  return &Unwrap(value.As<Napi::Object>())->Live(what);
}

ExecutionContext& ContextWrap::Live(const char* method) {
  if (!context_) throw ReleasedFailure("ExecutionContext", method);
  return *context_;
}

Napi::Value ContextWrap::Released(const Napi::CallbackInfo& info) {
  RequireReceiver(info, kContextTag, "ExecutionContext");
  return Napi::Boolean::New(info.Env(), !context_);
}

Napi::Value ContextWrap::OptimizationProfile(const Napi::CallbackInfo& info) {
  RequireReceiver(info, kContextTag, "ExecutionContext");
  return Guard(info.Env(), [&]() -> Napi::Value {
    return Napi::Number::New(info.Env(), Live("optimizationProfile").OptimizationProfile());
  });
}

// setOptimizationProfile(index, stream = 0)
Napi::Value ContextWrap::SetOptimizationProfile(const Napi::CallbackInfo& info) {
  RequireReceiver(info, kContextTag, "ExecutionContext");
  return Guard(info.Env(), [&]() -> Napi::Value {
    ExecutionContext& c = Live("setOptimizationProfile");
    const uint64_t index = IndexArg(info[0], "setOptimizationProfile: index");
    if (index > INT32_MAX) {
      throw InputFailure("argument", "setOptimizationProfile", "index: at most 2147483647", std::to_string(index));
    }
    c.SetOptimizationProfile(static_cast<int32_t>(index), PointerArg(info[1], "setOptimizationProfile: stream", true));
    return info.Env().Undefined();
  });
}

// inferOutputShapes(inputShapes) -> number[][] (outputs in io order)
Napi::Value ContextWrap::InferOutputShapes(const Napi::CallbackInfo& info) {
  RequireReceiver(info, kContextTag, "ExecutionContext");
  return Guard(info.Env(), [&]() -> Napi::Value {
    ExecutionContext& c = Live("inferOutputShapes");
    size_t count = 0;
    const double* shapes = Float64ArrayArg(info.Env(), info[0], "inferOutputShapes: inputShapes", &count);
    c.SetInputShapes(shapes, count);
    std::vector<Dims64> outputs = c.OutputShapes();
    Napi::Array result = Napi::Array::New(info.Env(), outputs.size());
    for (uint32_t i = 0; i < outputs.size(); ++i) result.Set(i, DimsToJs(info.Env(), outputs[i]));
    return result;
  });
}

// The native side of execute / executeSync / executeAsync, which
// src/execute-methods.ts defines on the prototype in TypeScript (reading the
// request's fields there is cheaper than through Node-API), called as
// executeEntry.call(context, kind, inputShapes, addresses, stream).
// execute enqueues and returns; executeSync then blocks this thread until the
// stream is done (scripts, tests); executeAsync returns a promise settled when
// the stream is done, waiting on a worker, with every error (a bad request
// included) as a rejection, and keeps the context alive until then even if it
// is released meanwhile.
Napi::Value ContextWrap::ExecuteEntry(const Napi::CallbackInfo& info) {
  RequireReceiver(info, kContextTag, "ExecutionContext");
  ContextWrap* self = Unwrap(info.This().As<Napi::Object>());
  napi_env env = info.Env();
  int32_t kind = kExecute;
  napi_get_value_int32(env, info[0], &kind);
  static const char* const kNames[] = {"execute", "executeSync", "executeAsync"};
  const char* method = kNames[(kind & 3) < 3 ? (kind & 3) : 0];
  auto body = [&]() -> Napi::Value {
    ExecutionContext& c = self->Live(method);
    if (kind & kNotAnObject) {
      throw InputFailure("argument", method, "a request { inputShapes: Float64Array, addresses: Float64Array, stream }",
                         TypeOf(info[1]));
    }
    size_t shapeCount = 0;
    size_t addressCount = 0;
    const double* shapes = Float64ArrayArg(env, info[1], "inputShapes", &shapeCount);
    const double* addresses = Float64ArrayArg(env, info[2], "addresses", &addressCount);
    void* stream = StreamFast(env, info[3]);
    c.SetInputShapes(shapes, shapeCount);
    c.BindAddresses(addresses, addressCount);
    c.Enqueue(stream);
    // Warnings TensorRT logged on the way reach the sink now, not a tick later.
    c.logger().Drain(info.Env());
    if ((kind & 3) == kExecuteSync) c.memory()->Synchronize(stream);
    if ((kind & 3) == kExecuteAsync) return StartSynchronize(info.Env(), c.memory(), stream, self->context_);
    return info.Env().Undefined();
  };
  return (kind & 3) == kExecuteAsync ? GuardAsync(info.Env(), body) : Guard(info.Env(), body);
}

// setDeviceMemory(address, bytes)
Napi::Value ContextWrap::SetDeviceMemory(const Napi::CallbackInfo& info) {
  RequireReceiver(info, kContextTag, "ExecutionContext");
  return Guard(info.Env(), [&]() -> Napi::Value {
    ExecutionContext& c = Live("setDeviceMemory");
    void* address = PointerArg(info[0], "setDeviceMemory: address", false);
    const uint64_t bytes = IndexArg(info[1], "setDeviceMemory: bytes");
    c.SetDeviceMemory(address, static_cast<int64_t>(bytes));
    return info.Env().Undefined();
  });
}

Napi::Value ContextWrap::DeviceMemoryBytesForShapes(const Napi::CallbackInfo& info) {
  RequireReceiver(info, kContextTag, "ExecutionContext");
  return Guard(info.Env(), [&]() -> Napi::Value {
    return Napi::Number::New(info.Env(),
                             static_cast<double>(Live("deviceMemoryBytesForShapes").DeviceMemoryBytesForShapes()));
  });
}

// setOutputAllocator(tensorName, hooks | null)
Napi::Value ContextWrap::SetOutputAllocator(const Napi::CallbackInfo& info) {
  RequireReceiver(info, kContextTag, "ExecutionContext");
  return Guard(info.Env(), [&]() -> Napi::Value {
    ExecutionContext& c = Live("setOutputAllocator");
    const std::string name = StringArg(info[0], "setOutputAllocator: tensorName");
    const auto& io = c.engine()->description.io;
    int index = -1;
    for (size_t i = 0; i < io.size(); ++i) {
      if (io[i].name == name) index = static_cast<int>(i);
    }
    if (index < 0 || io[index].isInput) {
      std::string outputs;
      for (const auto& t : io) {
        if (!t.isInput) outputs += (outputs.empty() ? "'" : ", '") + t.name + "'";
      }
      throw InputFailure("name", "setOutputAllocator", "an output of this engine (" + outputs + ")",
                         "'" + name + "', which is not one", name);
    }
    Napi::Object hooks;
    if (!info[1].IsNull() && !info[1].IsUndefined()) {
      if (!info[1].IsObject()) throw InputFailure("argument", "setOutputAllocator", "hooks: an object or null", TypeOf(info[1]));
      hooks = info[1].As<Napi::Object>();
      if (!hooks.Get("reallocate").IsFunction() || !hooks.Get("notifyShape").IsFunction()) {
        throw InputFailure("argument", "setOutputAllocator", "hooks with reallocate() and notifyShape() functions",
                           "an object without them");
      }
    }
    c.SetOutputAllocator(index, hooks);
    return info.Env().Undefined();
  });
}

// setProfiler(hook | null, emitPerEnqueue = true)
Napi::Value ContextWrap::SetProfiler(const Napi::CallbackInfo& info) {
  RequireReceiver(info, kContextTag, "ExecutionContext");
  return Guard(info.Env(), [&]() -> Napi::Value {
    ExecutionContext& c = Live("setProfiler");
    Napi::Function hook;
    if (!info[0].IsNull() && !info[0].IsUndefined()) {
      if (!info[0].IsFunction()) throw InputFailure("argument", "setProfiler", "hook: a function or null", TypeOf(info[0]));
      hook = info[0].As<Napi::Function>();
    }
    const bool emit = info[1].IsUndefined() ? true : info[1].ToBoolean().Value();
    c.SetProfiler(hook, emit);
    return info.Env().Undefined();
  });
}

Napi::Value ContextWrap::ReportToProfiler(const Napi::CallbackInfo& info) {
  RequireReceiver(info, kContextTag, "ExecutionContext");
  return Guard(info.Env(), [&]() -> Napi::Value {
    Live("reportToProfiler").ReportToProfiler();
    return info.Env().Undefined();
  });
}

// release(): destroys the TensorRT context now unless an executeAsync still
// waits on it (then when that settles). Idempotent.
Napi::Value ContextWrap::Release(const Napi::CallbackInfo& info) {
  RequireReceiver(info, kContextTag, "ExecutionContext");
  context_.reset();
  return info.Env().Undefined();
}

}  // namespace trtn
