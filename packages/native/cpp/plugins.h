// The plugin registry of a runtime (IRuntime::getPluginRegistry) and
// TensorRT's plugin library: the mechanism behind the engine contract's
// PluginHost. Which libraries to load is decided in @trt/runtime.
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
int32_t PluginCreatorCount(RuntimeHandle& runtime);
// dlopens libnvinfer_plugin at `path` and calls initLibNvInferPlugins(our logger, "").
PluginOutcome InitStandardPlugins(RuntimeHandle& runtime, const std::string& path);
// Checks that `path` opens, then IPluginRegistry::loadLibrary(path).
PluginOutcome LoadPluginLibrary(RuntimeHandle& runtime, const std::string& path);

// The PluginHost object the Backend's `plugins` accessor returns.
Napi::Object MakePluginHost(Napi::Env env, std::shared_ptr<RuntimeHandle> runtime);

}  // namespace trtn
