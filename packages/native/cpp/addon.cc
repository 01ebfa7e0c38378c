// Module entry: registers the classes for this environment and exports the
// functions the TS loader uses (openBackend, executeEntry). Everything else is
// reached from a Backend.
#include <napi.h>

#include "addon_data.h"
#include "backend_wrap.h"
#include "context_wrap.h"
#include "engine_wrap.h"
#include "errors.h"
#include "js_args.h"
#include "memory_wrap.h"

#ifdef TRT_NATIVE_BENCH
#include "../bench/cpp/bench_hooks.h"
#endif

namespace trtn {

thread_local bool InternalConstruction::active_ = false;

// The protocol between this binary and src/loader.ts. Bump it when the JS
// surface changes incompatibly, so a stale build is reported as such.
// 2: plugins (the PluginHost). 3: execute/executeSync/executeAsync are defined by the TS loader over executeEntry.
constexpr int kBindingVersion = 3;

namespace {

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
  exports.Set("executeEntry", Napi::Function::New(env, &ContextWrap::ExecuteEntry, "executeEntry"));
#ifdef TRT_NATIVE_BENCH
  RegisterBenchHooks(env, exports);  // bench/cpp: only in trt_native_bench.node, never in the published addon
#endif
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
