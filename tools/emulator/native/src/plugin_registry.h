// A plugin registry. TensorRT has two kinds, and so does the emulator: the
// process's global registry, what the exported getPluginRegistry() returns
// (TensorRT's libnvinfer_plugin registers there from initLibNvInferPlugins),
// and one local to each runtime, what IRuntime::getPluginRegistry() returns,
// whose parent is the global one. TensorRT 10.6 was seen to keep them apart:
// initLibNvInferPlugins grew the global registry and left a runtime's empty.
//
// A registry holds creators registered directly (registerCreator) and those
// of plugin libraries loaded with loadLibrary, which dlopens the library,
// hands it a logger finder (setLoggerFinder) and registers what its
// getCreators (or the older getPluginCreators) returns, all or nothing.
//
// Plans name the creators their plugin layers need; deserialization looks
// each one up in the runtime's registry, then the global one, and fails, as
// TensorRT does, when one is in neither.
// Major-independent: the vtables around it are in vt_plugin.h.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "logger.h"
#include "plugin_abi.h"

namespace emu {

class PluginRegistry {
 public:
  // `parent`: the registry getCreator searches next while parent search is
  // enabled (the global one, for a runtime's registry); null for the global one.
  explicit PluginRegistry(const PluginRegistry* parent = nullptr) : parent_(parent) {}
  // Closes the libraries loaded into it (only runtimes' registries are destroyed).
  ~PluginRegistry();
  PluginRegistry(const PluginRegistry&) = delete;
  PluginRegistry& operator=(const PluginRegistry&) = delete;

  // TensorRT logs registry messages through the process's logger: the one the
  // first runtime was created with. Later calls keep the first.
  void adoptLogger(const Logger& logger);
  Logger logger() const;
  // The ILogger* the logger finder hands plugin libraries (null before any runtime).
  void* rawLogger() const;

  // registerCreator(creator, namespace): false (logged) for an unreadable
  // creator or one whose name, version and namespace are registered already.
  bool add(void* creator, const char* libraryNamespace, const char* method);
  // deregisterCreator: false when `creator` is not registered.
  bool remove(const void* creator);

  // The creator registered here under name, version and namespace, else (parent
  // search enabled) the parent's, or null; with `logTo`, a miss is logged there
  // the way TensorRT reports it.
  void* lookup(const std::string& name, const std::string& version, const std::string& libraryNamespace,
               const char* method, const Logger* logTo) const;
  // The creator registered here, never the parent's; nothing is logged.
  void* lookupHere(const std::string& name, const std::string& version, const std::string& libraryNamespace) const;

  // getAllCreators: this registry's creators, an array valid until the registry next changes.
  void* const* all(int32_t* count);
  // getAllCreatorsRecursive: this registry's creators, then its parent's.
  void* const* allRecursive(int32_t* count);

  // loadLibrary: the library's handle, or null (logged) when it cannot be
  // opened, exports no getCreators / getPluginCreators, or would register a
  // creator that is registered already (then nothing of it is registered).
  // `loggerFinder` is the ILoggerFinder* handed to its setLoggerFinder.
  void* loadLibrary(const char* path, void* loggerFinder);
  // deregisterLibrary: drops the library's creators and closes it.
  void deregisterLibrary(void* handle);

  bool parentSearchEnabled() const { return parentSearch_; }
  void setParentSearchEnabled(bool enabled) { parentSearch_ = enabled; }

 private:
  struct Entry {
    CreatorIdentity identity;
    std::string libraryNamespace;  // as registered
    void* creator = nullptr;
    const void* library = nullptr;  // the Library it came from, null when registered directly
  };
  struct Library {
    void* dl = nullptr;
    std::string path;
  };

  const Entry* findLocked(const std::string& name, const std::string& version, const std::string& ns) const;
  void appendCreators(std::vector<void*>& out) const;
  void logError(const std::string& message) const;

  const PluginRegistry* const parent_;
  mutable std::mutex mutex_;
  std::vector<Entry> entries_;
  std::vector<void*> snapshot_;
  std::vector<void*> recursiveSnapshot_;
  std::vector<Library*> libraries_;
  Logger logger_;
  bool hasLogger_ = false;
  std::atomic<bool> parentSearch_{true};
};

// The global registry of this library (never destroyed: plugin libraries may
// deregister from static destructors that run after this library's).
PluginRegistry& pluginRegistry();

// A registry as the caller holds it: a plain object (no wrapper, as TensorRT
// hands registries out) whose vtable is the major's IPluginRegistry
// (vt_plugin.h), followed by the registry it stands for.
struct RegistryObject {
  const void* const* vptr;
  PluginRegistry* registry;
};

}  // namespace emu
