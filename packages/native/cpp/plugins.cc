#include "plugins.h"

#include <dlfcn.h>

#include <type_traits>

#include "errors.h"
#include "js_args.h"

namespace trtn {
namespace {

using InitPluginsFn = trt_abi::V10::PluginEntryPoints::initLibNvInferPlugins::Fn;
static_assert(std::is_same_v<InitPluginsFn, trt_abi::V11::PluginEntryPoints::initLibNvInferPlugins::Fn>,
              "initLibNvInferPlugins changed between majors");

// Opens `path` as TensorRT's loadLibrary does (lazy binding, local symbols).
// Never closed: registered creators live in it for the rest of the process.
void* OpenLibrary(const std::string& path, std::string& error) {
  void* handle = dlopen(path.c_str(), RTLD_LAZY | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = dlerror();
    error = why != nullptr ? why : path + ": dlopen failed";
  }
  return handle;
}

Napi::Object OutcomeToJs(Napi::Env env, const PluginOutcome& outcome) {
  Napi::Object obj = Napi::Object::New(env);
  obj.Set("openError", outcome.openError.empty() ? env.Null() : Napi::String::New(env, outcome.openError));
  obj.Set("ok", outcome.ok);
  Napi::Array logged = Napi::Array::New(env, outcome.logged.size());
  for (uint32_t i = 0; i < outcome.logged.size(); ++i) logged.Set(i, outcome.logged[i]);
  obj.Set("logged", logged);
  return obj;
}

}  // namespace

void* PluginRegistryOf(RuntimeHandle& runtime) {
  std::lock_guard<std::mutex> lock(runtime.mu);
  return runtime.abi().Call(runtime.abi().runtime.getPluginRegistry, runtime.runtime);
}

void* GlobalPluginRegistryOf(RuntimeHandle& runtime) {
  Library::GetPluginRegistryFn get = runtime.library->getPluginRegistry;
  return get != nullptr ? get() : nullptr;
}

int32_t PluginCreatorCount(RuntimeHandle& runtime) {
  void* local = PluginRegistryOf(runtime);
  void* global = GlobalPluginRegistryOf(runtime);
  std::lock_guard<std::mutex> lock(runtime.mu);
  const auto countOf = [&](void* registry) {
    int32_t count = 0;
    runtime.abi().CallPlain(runtime.abi().pluginRegistry.getAllCreators, registry, static_cast<void*>(&count));
    return count;
  };
  // Should a library hand out one object for both, it is counted once.
  return countOf(local) + (global != nullptr && global != local ? countOf(global) : 0);
}

PluginOutcome InitStandardPlugins(RuntimeHandle& runtime, const std::string& path) {
  PluginOutcome outcome;
  void* handle = OpenLibrary(path, outcome.openError);
  if (handle == nullptr) return outcome;
  auto init = reinterpret_cast<InitPluginsFn>(dlsym(handle, trt_abi::V10::PluginEntryPoints::initLibNvInferPlugins::symbol));
  if (init == nullptr) {
    outcome.logged.push_back(path + " does not export initLibNvInferPlugins, so it is not TensorRT's plugin library");
    return outcome;
  }
  std::lock_guard<std::mutex> lock(runtime.mu);
  Logger& logger = runtime.logger();
  const uint64_t mark = logger.Mark();
  outcome.ok = init(logger.TrtObject(), "");
  outcome.logged = logger.ErrorsSince(mark);
  return outcome;
}

PluginOutcome LoadPluginLibrary(RuntimeHandle& runtime, const std::string& path) {
  PluginOutcome outcome;
  if (OpenLibrary(path, outcome.openError) == nullptr) return outcome;
  void* registry = PluginRegistryOf(runtime);
  std::lock_guard<std::mutex> lock(runtime.mu);
  Logger& logger = runtime.logger();
  const uint64_t mark = logger.Mark();
  outcome.ok = runtime.abi().CallPlain(runtime.abi().pluginRegistry.loadLibrary, registry, path.c_str()) != nullptr;
  outcome.logged = logger.ErrorsSince(mark);
  return outcome;
}

Napi::Object MakePluginHost(Napi::Env env, std::shared_ptr<RuntimeHandle> runtime) {
  Napi::Object host = Napi::Object::New(env);
  host.Set("registry", Napi::Number::New(env, static_cast<double>(reinterpret_cast<uintptr_t>(PluginRegistryOf(*runtime)))));
  void* global = GlobalPluginRegistryOf(*runtime);
  host.Set("globalRegistry", global != nullptr ? Napi::Number::New(env, static_cast<double>(reinterpret_cast<uintptr_t>(global)))
                                               : env.Null());
  host.Set("creatorCount", Napi::Function::New(env, [runtime](const Napi::CallbackInfo& info) -> Napi::Value {
             return Guard(info.Env(), [&]() -> Napi::Value { return Napi::Number::New(info.Env(), PluginCreatorCount(*runtime)); });
           }, "creatorCount"));
  host.Set("initStandardPlugins", Napi::Function::New(env, [runtime](const Napi::CallbackInfo& info) -> Napi::Value {
             return Guard(info.Env(), [&]() -> Napi::Value {
               const std::string path = StringArg(info[0], "initStandardPlugins: path");
               PluginOutcome outcome = InitStandardPlugins(*runtime, path);
               runtime->logger().Drain(info.Env());
               return OutcomeToJs(info.Env(), outcome);
             });
           }, "initStandardPlugins"));
  host.Set("loadLibrary", Napi::Function::New(env, [runtime](const Napi::CallbackInfo& info) -> Napi::Value {
             return Guard(info.Env(), [&]() -> Napi::Value {
               const std::string path = StringArg(info[0], "loadLibrary: path");
               PluginOutcome outcome = LoadPluginLibrary(*runtime, path);
               runtime->logger().Drain(info.Env());
               return OutcomeToJs(info.Env(), outcome);
             });
           }, "loadLibrary"));
  return host;
}

}  // namespace trtn
