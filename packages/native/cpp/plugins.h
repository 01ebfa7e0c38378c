// The plugin registries a runtime deserializes with and TensorRT's plugin
// library: the mechanism behind the engine contract's PluginHost. Which
// libraries to load is decided in @trt/runtime.
//
// TensorRT keeps two registries (seen on 10.6): the runtime's own
// (IRuntime::getPluginRegistry), where loadLibrary registers, and the
// process's global one (libnvinfer's getPluginRegistry()), where
// initLibNvInferPlugins registers. Deserialization finds creators in both,
// so the creator count covers both.
#pragma once

#include <napi.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "handles.h"

namespace trtn {

struct PluginOutcome {
  std::string openError;  // dlopen's message when the file did not open; then nothing else was tried
  bool ok = false;
  std::vector<std::string> logged;  // errors TensorRT logged during the call
};

void* PluginRegistryOf(RuntimeHandle& runtime);
// The global registry, or null where the library does not export getPluginRegistry.
void* GlobalPluginRegistryOf(RuntimeHandle& runtime);
// getAllCreators of the runtime's registry plus that of the global one (when known).
int32_t PluginCreatorCount(RuntimeHandle& runtime);
// dlopens libnvinfer_plugin at `path` and calls initLibNvInferPlugins(our logger, "").
PluginOutcome InitStandardPlugins(RuntimeHandle& runtime, const std::string& path);
// Checks that `path` opens, then IPluginRegistry::loadLibrary(path).
PluginOutcome LoadPluginLibrary(RuntimeHandle& runtime, const std::string& path);

// The PluginHost object the Backend's `plugins` accessor returns.
Napi::Object MakePluginHost(Napi::Env env, std::shared_ptr<RuntimeHandle> runtime);

}  // namespace trtn
