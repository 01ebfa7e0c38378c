// IRuntime's behaviour: the host-code switch, the runtime's own plugin
// registry, and turning plan bytes into an Engine, with every failure
// reported through the logger.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "engine.h"
#include "logger.h"
#include "plugin_registry.h"

namespace emu {

class Runtime {
 public:
  // `libMajor` / `libVersion`: what this library presents (10 / "10.16.0");
  // `registryTable`: the major's IPluginRegistry vtable, for the runtime's registry.
  Runtime(const Logger& logger, int libMajor, std::string libVersion, const void* const* registryTable)
      : logger_(logger), libMajor_(libMajor), libVersion_(std::move(libVersion)), registryObject_{registryTable, &registry_} {
    registry_.adoptLogger(logger);
  }

  const Logger& logger() const { return logger_; }
  // IRuntime::getPluginRegistry: this runtime's own registry, whose parent is
  // the global one (as TensorRT 10.6 was seen to hand out: a registry apart
  // from getPluginRegistry()'s, empty until something is loaded into it).
  void* pluginRegistryObject() { return &registryObject_; }
  void setEngineHostCodeAllowed(bool allowed) { hostCodeAllowed_ = allowed; }
  bool engineHostCodeAllowed() const { return hostCodeAllowed_; }

  // Null (after logging kERROR) when the bytes are not a loadable plan.
  std::shared_ptr<Engine> deserialize(const void* blob, uint64_t size);

 private:
  Logger logger_;
  int libMajor_;
  std::string libVersion_;
  std::atomic<bool> hostCodeAllowed_{false};
  PluginRegistry registry_{&pluginRegistry()};
  RegistryObject registryObject_;
};

// The IHostMemory serialize() returns: a copy of the plan bytes.
struct HostMemory {
  std::vector<uint8_t> bytes;
};

// IRuntimeConfig: only the allocation strategy is emulated.
struct RuntimeConfig {
  explicit RuntimeConfig(const Logger& l) : logger(l) {}
  Logger logger;
  int32_t strategy = 0;  // kSTATIC, TensorRT's default
};

}  // namespace emu
