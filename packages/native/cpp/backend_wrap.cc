#include "backend_wrap.h"

#include "addon_data.h"
#include "receiver.h"
#include "cudart.h"
#include "engine_wrap.h"
#include "errors.h"
#include "js_args.h"
#include "memory_wrap.h"
#include "plugins.h"
#include "workers.h"

namespace trtn {
namespace {

std::string OptionalString(Napi::Object options, const char* key) {
  Napi::Value v = options.Get(key);
  if (v.IsUndefined() || v.IsNull()) return "";
  return StringArg(v, std::string("openBackend: ") + key);
}

std::shared_ptr<DeviceMemory> MemoryFor(const Library& lib, const std::string& cudartPath) {
  if (lib.UsesHostMemory()) return MakeHostMemory();
  CudartLookup cuda = OpenCudart(cudartPath);
  if (cuda.cudart == nullptr) {
    throw UnavailableFailure(
        "cudart-not-found",
        cuda.error.empty() ? "libcudart (the CUDA runtime) could not be loaded; " + lib.path + " needs it."
                           : cuda.error,
        cuda.tried,
        "Install the CUDA 12 or 13 runtime so that libcudart.so.13 or libcudart.so.12 is on the loader path, or "
        "pass { cudartPath } to loadNative(), or set TRT_CUDART_PATH to the library file.");
  }
  return MakeCudaMemory(cuda.cudart);
}

Napi::Object LibraryToJs(Napi::Env env, const Library& lib) {
  Napi::Object version = Napi::Object::New(env);
  version.Set("major", lib.version / 10000);
  version.Set("minor", lib.version / 100 % 100);
  version.Set("patch", lib.version % 100);
  version.Set("raw", lib.version);
  Napi::Object info = Napi::Object::New(env);
  info.Set("path", lib.path);
  info.Set("version", version);
  if (lib.emulator) {
    Napi::Object emulator = Napi::Object::New(env);
    emulator.Set("version", lib.emulatorVersion);
    emulator.Set("mode", lib.emulatorMode);
    emulator.Set("info", lib.emulatorInfoJson);
    info.Set("emulator", emulator);
  } else {
    info.Set("emulator", env.Null());
  }
  return info;
}

}  // namespace

Napi::Function BackendWrap::Define(Napi::Env env) {
  return DefineClass(env, "Backend",
                     {
                         InstanceAccessor<&BackendWrap::Implementation>("implementation"),
                         InstanceAccessor<&BackendWrap::LibraryInfo>("library"),
                         InstanceAccessor<&BackendWrap::Memory>("memory"),
                         InstanceMethod<&BackendWrap::Deserialize>("deserialize"),
                         InstanceMethod<&BackendWrap::DeserializeSync>("deserializeSync"),
                         InstanceMethod<&BackendWrap::SetLogSink>("setLogSink"),
                         InstanceMethod<&BackendWrap::SetEngineHostCodeAllowed>("setEngineHostCodeAllowed"),
                         InstanceAccessor<&BackendWrap::Plugins>("plugins"),
                     });
}

Napi::Value BackendWrap::Open(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return Guard(env, [&]() -> Napi::Value {
    Napi::Object options = info[0].IsObject() ? info[0].As<Napi::Object>() : Napi::Object::New(env);
    Library* lib = OpenNvInfer(OptionalString(options, "nvinferPath"));
    std::shared_ptr<DeviceMemory> memory = MemoryFor(*lib, OptionalString(options, "cudartPath"));

    const uint64_t mark = lib->logger->Mark();
    void* runtime = lib->createInferRuntime(lib->logger->TrtObject(), lib->version);
    if (runtime == nullptr) throw TensorRTFailure("createInferRuntime", lib->logger->ErrorSince(mark));
    auto handle = std::make_shared<RuntimeHandle>(lib, runtime, memory);

    Napi::Object obj;
    {
      InternalConstruction internal;
      obj = Data(env).backendClass.New({});
    }
    obj.TypeTag(&kBackendTag);
    BackendWrap* self = Unwrap(obj);
    self->runtime_ = std::move(handle);
    self->library_ = Napi::Persistent(LibraryToJs(env, *lib));
    self->memory_ = Napi::Persistent(MemoryWrap::Create(env, std::move(memory)));
    return obj;
  });
}

BackendWrap::BackendWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<BackendWrap>(info) {
  if (!InternalConstruction::active()) {
    throw Napi::TypeError::New(info.Env(), "Backend objects come from openBackend() / loadNative()");
  }
}

Napi::Value BackendWrap::Implementation(const Napi::CallbackInfo& info) {
  RequireReceiver(info, kBackendTag, "Backend");
  return Napi::String::New(info.Env(), "native");
}
Napi::Value BackendWrap::LibraryInfo(const Napi::CallbackInfo& info) {
  RequireReceiver(info, kBackendTag, "Backend");
  return library_.Value();
}
Napi::Value BackendWrap::Memory(const Napi::CallbackInfo& info) {
  RequireReceiver(info, kBackendTag, "Backend");
  return memory_.Value();
}

// deserialize(plan) -> Promise<Engine>
Napi::Value BackendWrap::Deserialize(const Napi::CallbackInfo& info) {
  RequireReceiver(info, kBackendTag, "Backend");
  return GuardAsync(info.Env(), [&]() -> Napi::Value {
    ByteView plan = BytesArg(info[0], "deserialize: plan");
    return StartDeserialize(info.Env(), runtime_, info[0], plan.data, plan.size);
  });
}

// deserializeSync(plan) -> Engine, on the calling thread.
Napi::Value BackendWrap::DeserializeSync(const Napi::CallbackInfo& info) {
  RequireReceiver(info, kBackendTag, "Backend");
  return Guard(info.Env(), [&]() -> Napi::Value {
    ByteView plan = BytesArg(info[0], "deserializeSync: plan");
    std::shared_ptr<EngineHandle> engine = DeserializeNow(runtime_, plan.data, plan.size);
    runtime_->logger().Drain(info.Env());
    return EngineWrap::Create(info.Env(), std::move(engine));
  });
}

// setLogSink(sink | null, minSeverity = "warning"). One sink per library:
// TensorRT has one logger per process and library.
Napi::Value BackendWrap::SetLogSink(const Napi::CallbackInfo& info) {
  RequireReceiver(info, kBackendTag, "Backend");
  return Guard(info.Env(), [&]() -> Napi::Value {
    Napi::Function sink;
    if (!info[0].IsNull() && !info[0].IsUndefined()) {
      if (!info[0].IsFunction()) throw InputFailure("argument", "setLogSink", "sink: a function or null", TypeOf(info[0]));
      sink = info[0].As<Napi::Function>();
    }
    int32_t min = Logger::kWarning;
    if (!info[1].IsUndefined()) {
      const std::string name = StringArg(info[1], "setLogSink: minSeverity");
      min = Logger::SeverityFromName(name);
      if (min < 0) {
        throw InputFailure("argument", "setLogSink",
                           "minSeverity: one of 'internal_error', 'error', 'warning', 'info', 'verbose'", "'" + name + "'");
      }
    }
    runtime_->logger().SetSink(info.Env(), sink, min);
    return info.Env().Undefined();
  });
}

Napi::Value BackendWrap::SetEngineHostCodeAllowed(const Napi::CallbackInfo& info) {
  RequireReceiver(info, kBackendTag, "Backend");
  return Guard(info.Env(), [&]() -> Napi::Value {
    if (!info[0].IsBoolean()) throw InputFailure("argument", "setEngineHostCodeAllowed", "allowed: a boolean", TypeOf(info[0]));
    std::lock_guard<std::mutex> lock(runtime_->mu);
    runtime_->abi().Call(runtime_->abi().runtime.setEngineHostCodeAllowed, runtime_->runtime,
                         info[0].As<Napi::Boolean>().Value());
    return info.Env().Undefined();
  });
}

// plugins -> PluginHost: the runtime's plugin registry (plugins.h).
Napi::Value BackendWrap::Plugins(const Napi::CallbackInfo& info) {
  RequireReceiver(info, kBackendTag, "Backend");
  return Guard(info.Env(), [&]() -> Napi::Value {
    if (plugins_.IsEmpty()) plugins_ = Napi::Persistent(MakePluginHost(info.Env(), runtime_));
    return plugins_.Value();
  });
}

}  // namespace trtn
