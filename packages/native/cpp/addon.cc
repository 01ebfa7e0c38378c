// Module entry: registers the classes for this environment and exports the
// two functions the TS loader uses. Everything else is reached from a Backend.
#include <napi.h>

#include "addon_data.h"
#include "backend_wrap.h"
#include "context_wrap.h"
#include "engine_wrap.h"
#include "errors.h"
#include "js_args.h"
#include "memory_wrap.h"

namespace trtn {

thread_local bool InternalConstruction::active_ = false;

// The protocol between this binary and src/loader.ts. Bump it when the JS
// surface changes incompatibly, so a stale build is reported as such.
constexpr int kBindingVersion = 2;

namespace {

// benchRawEnqueue(context, iterations, { stream = 0, rebind = false })
//   -> { seconds, iterations, nsPerCall }
// The baseline for bench/overhead.mjs: enqueueV3 called in a C++ loop with the
// bindings execute() left in place (rebind: also setInputShape and
// setTensorAddress for every tensor before each enqueue, as a C++ caller that
// does not cache would).
Napi::Value BenchRawEnqueue(const Napi::CallbackInfo& info) {
  return Guard(info.Env(), [&]() -> Napi::Value {
    ExecutionContext* context = ContextWrap::FromValue(info[0], "benchRawEnqueue: context");
    const uint64_t iterations = IndexArg(info[1], "benchRawEnqueue: iterations");
    void* stream = nullptr;
    bool rebind = false;
    if (info[2].IsObject()) {
      Napi::Object options = info[2].As<Napi::Object>();
      stream = PointerArg(options.Get("stream"), "benchRawEnqueue: stream", true);
      rebind = options.Get("rebind").ToBoolean().Value();
    }
    const double seconds = context->BenchRawEnqueue(static_cast<int64_t>(iterations), stream, rebind);
    context->memory()->Synchronize(stream);
    Napi::Object result = Napi::Object::New(info.Env());
    result.Set("seconds", seconds);
    result.Set("iterations", static_cast<double>(iterations));
    result.Set("nsPerCall", iterations > 0 ? seconds * 1e9 / static_cast<double>(iterations) : 0.0);
    return result;
  });
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  auto* data = new AddonData();
  env.SetInstanceData(data);  // deleted by Node at environment teardown
  data->dispatcher = Dispatcher::Create(env);

  Napi::Function backend = BackendWrap::Define(env);
  Napi::Function engine = EngineWrap::Define(env);
  Napi::Function context = ContextWrap::Define(env);
  Napi::Function memory = MemoryWrap::Define(env);
  data->backendClass = Napi::Persistent(backend);
  data->engineClass = Napi::Persistent(engine);
  data->contextClass = Napi::Persistent(context);
  data->memoryClass = Napi::Persistent(memory);

  exports.Set("bindingVersion", kBindingVersion);
  exports.Set("napiVersion", NAPI_VERSION);
  Napi::Array majors = Napi::Array::New(env, 2);
  majors.Set(0u, trt_abi::V10::kMajor);
  majors.Set(1u, trt_abi::V11::kMajor);
  exports.Set("supportedMajors", majors);
  exports.Set("openBackend", Napi::Function::New(env, &BackendWrap::Open, "openBackend"));
  exports.Set("benchRawEnqueue", Napi::Function::New(env, &BenchRawEnqueue, "benchRawEnqueue"));
  exports.Set("Backend", backend);
  exports.Set("Engine", engine);
  exports.Set("ExecutionContext", context);
  exports.Set("Memory", memory);
  return exports;
}

}  // namespace
}  // namespace trtn

static Napi::Object InitTrtNative(Napi::Env env, Napi::Object exports) { return trtn::Init(env, exports); }
NODE_API_MODULE(trt_native, InitTrtNative)
