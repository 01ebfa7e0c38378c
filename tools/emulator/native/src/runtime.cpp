#include "runtime.h"

#include "mode.h"
#include "plugin_registry.h"

namespace emu {

std::shared_ptr<Engine> Runtime::deserialize(const void* blob, uint64_t size) {
  const char* m = "IRuntime::deserializeCudaEngine";
  std::string error;
  std::shared_ptr<const Plan> plan = readPlan(blob, size, error);
  if (!plan) {
    logger_.error(std::string(m) + ": " + error);
    return nullptr;
  }
  if (plan->requiredMajor != 0 && plan->requiredMajor != static_cast<uint32_t>(libMajor_)) {
    logger_.error(std::string(m) + ": the plan was built for TensorRT " + std::to_string(plan->requiredMajor) +
                  " and cannot run on this library, which presents TensorRT " + libVersion_);
    return nullptr;
  }
  if (plan->requiresHostCode() && !hostCodeAllowed_) {
    logger_.error(std::string(m) + ": engine '" + plan->name +
                  "' contains host code (plugins or a lean runtime), which is not allowed; call "
                  "IRuntime::setEngineHostCodeAllowed(true) to load it");
    return nullptr;
  }
  // Every plugin layer needs its creator registered, as TensorRT's plugin layers do: in this
  // runtime's registry (loadLibrary on it) or the global one (initLibNvInferPlugins), whatever
  // the runtime's registry says about parent search. A miss is logged once, by the global one.
  for (const LayerDesc& l : plan->layers) {
    if (l.kind != LayerKind::kPlugin) continue;
    if (registry_.lookupHere(l.pluginName, l.pluginVersion, l.pluginNamespace)) continue;
    if (!pluginRegistry().lookup(l.pluginName, l.pluginVersion, l.pluginNamespace, "IPluginRegistry::getCreator", &logger_)) {
      logger_.error(std::string(m) +
                    ": Error Code 1: Serialization (Serialization assertion creator failed.Cannot deserialize plugin "
                    "since corresponding IPluginCreator not found in Plugin Registry)");
      return nullptr;
    }
  }
  logger_.info("Loaded engine '" + plan->name + "' (" + std::to_string(size) + " bytes, " +
               std::to_string(plan->layers.size()) + " layers, " + std::to_string(plan->io.size()) +
               " I/O tensors) in the TensorRT emulator, " + modeName(executionMode().mode) + " mode");
  return std::make_shared<Engine>(std::move(plan), logger_);
}

}  // namespace emu
