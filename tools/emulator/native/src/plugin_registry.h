// The process's plugin registry, what getPluginRegistry() and
// IRuntime::getPluginRegistry() return (one registry, as with TensorRT's full
// runtime). It holds creators registered directly (registerCreator: the
// emulator's stand-in libnvinfer_plugin does that from initLibNvInferPlugins)
// and those of plugin libraries loaded with loadLibrary, which dlopens the
// library, hands it a logger finder (setLoggerFinder) and registers what its
// getCreators (or the older getPluginCreators) returns, all or nothing.
//
// Plans name the creators their plugin layers need; deserialization looks
// each one up (lookup) and fails, as TensorRT does, when one is missing.
// Major-independent: the vtables around it are in vt_plugin.h.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "logger.h"
#include "plugin_abi.h"

namespace emu {

class PluginRegistry {
 public:
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

  // The creator registered under name, version and namespace, or null; with
  // `logTo`, a miss is logged there the way TensorRT reports it.
  void* lookup(const std::string& name, const std::string& version, const std::string& libraryNamespace,
               const char* method, const Logger* logTo) const;

  // getAllCreators: an array valid until the registry next changes.
  void* const* all(int32_t* count);

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
  void logError(const std::string& message) const;

  mutable std::mutex mutex_;
  std::vector<Entry> entries_;
  std::vector<void*> snapshot_;
  std::vector<Library*> libraries_;
  Logger logger_;
  bool hasLogger_ = false;
  bool parentSearch_ = true;
};

// The one registry of this library (never destroyed: plugin libraries may
// deregister from static destructors that run after this library's).
PluginRegistry& pluginRegistry();

}  // namespace emu
