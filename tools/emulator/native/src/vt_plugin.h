// The plugin registry and the logger finder as the caller sees them: plain
// C++ objects (no wrapper), whose vtables follow the major's
// IPluginRegistry and ILoggerFinder layouts. There is one of each per
// library, around the process's PluginRegistry.
#pragma once

#include <array>
#include <type_traits>

#include "guard.h"
#include "plugin_registry.h"
#include "stubs.h"

namespace emu {

struct PluginRegistryTag { static constexpr const char* kName = "IPluginRegistry"; };
struct LoggerFinderTag { static constexpr const char* kName = "ILoggerFinder"; };

// An object whose only state is its vtable pointer; the thunks ignore `self`.
struct PlainObject {
  const void* const* vptr;
};

inline void plainDestructor(void* /*self*/) {}

// TensorRT 10 still has the IPluginCreator overloads (deprecated); 11 removed them.
template <class C, class = void>
struct HasLegacyCreatorMethods : std::false_type {};
template <class C>
struct HasLegacyCreatorMethods<C, std::void_t<typename C::registerPluginCreator>> : std::true_type {};

template <class V>
struct LoggerFinderVtable {
  using C = typename V::ILoggerFinder;

  static void* findLogger(void* /*self*/) { return pluginRegistry().rawLogger(); }
  static int32_t apiLanguage(void* /*self*/) { return static_cast<int32_t>(V::APILanguage::kCPP); }
  static trt_abi::InterfaceInfo interfaceInfo(void* /*self*/) {
    return trt_abi::InterfaceInfo{C::kInterfaceKind, C::kInterfaceMajor, C::kInterfaceMinor};
  }

  static const void* const* table() {
    static const auto t = [] {
      auto t = stubTable<LoggerFinderTag, C::kVtableSize>();
      put<typename C::findLogger>(t, &findLogger);
      put<typename C::destructor_complete>(t, &plainDestructor);
      put<typename C::destructor_deleting>(t, &plainDestructor);
      if constexpr (C::kVersioned) {
        put<typename C::getAPILanguage>(t, &apiLanguage);
        put<typename C::getInterfaceInfo>(t, &interfaceInfo);
      }
      return t;
    }();
    return t.data();
  }

  // What loadLibrary hands a plugin library's setLoggerFinder.
  static void* object() {
    static PlainObject finder{table()};
    return &finder;
  }
};

template <class V>
struct PluginRegistryVtable {
  using C = typename V::IPluginRegistry;

  static void* loadLibrary(void* self, const char* path) {
    return guarded<void*>(self, nullptr, [&] { return pluginRegistry().loadLibrary(path, LoggerFinderVtable<V>::object()); });
  }
  static void deregisterLibrary(void* self, void* handle) {
    guardedVoid(self, [&] { pluginRegistry().deregisterLibrary(handle); });
  }
  static bool registerCreator(void* self, void* creator, const char* ns) {
    return guarded<bool>(self, false, [&] { return pluginRegistry().add(creator, ns, "IPluginRegistry::registerCreator"); });
  }
  static bool deregisterCreator(void* self, void* creator) {
    return guarded<bool>(self, false, [&] { return pluginRegistry().remove(creator); });
  }
  static void* getAllCreators(void* self, void* count) {
    return guarded<void*>(self, nullptr, [&] {
      return static_cast<void*>(const_cast<void**>(pluginRegistry().all(static_cast<int32_t*>(count))));
    });
  }
  static void* find(void* self, const char* name, const char* version, const char* ns, const char* method) {
    return guarded<void*>(self, nullptr, [&]() -> void* {
      const Logger logger = pluginRegistry().logger();
      return pluginRegistry().lookup(name ? name : "", version ? version : "", ns ? ns : "", method, &logger);
    });
  }
  static void* getCreator(void* self, const char* name, const char* version, const char* ns) {
    return find(self, name, version, ns, "IPluginRegistry::getCreator");
  }
  static void* getPluginCreator(void* self, const char* name, const char* version, const char* ns) {
    return find(self, name, version, ns, "IPluginRegistry::getPluginCreator");
  }
  static bool isParentSearchEnabled(void* /*self*/) { return pluginRegistry().parentSearchEnabled(); }
  static void setParentSearchEnabled(void* /*self*/, bool enabled) { pluginRegistry().setParentSearchEnabled(enabled); }

  static const void* const* table() {
    static const auto t = [] {
      auto t = stubTable<PluginRegistryTag, C::kVtableSize>();
      put<typename C::loadLibrary>(t, &loadLibrary);
      put<typename C::deregisterLibrary>(t, &deregisterLibrary);
      put<typename C::registerCreator>(t, &registerCreator);
      put<typename C::deregisterCreator>(t, &deregisterCreator);
      put<typename C::getAllCreators>(t, &getAllCreators);
      put<typename C::getAllCreatorsRecursive>(t, &getAllCreators);  // one registry: nothing above it
      put<typename C::getCreator>(t, &getCreator);
      put<typename C::isParentSearchEnabled>(t, &isParentSearchEnabled);
      put<typename C::setParentSearchEnabled>(t, &setParentSearchEnabled);
      if constexpr (HasLegacyCreatorMethods<C>::value) {
        // An IPluginCreator is an IPluginCreatorInterface: the same registry serves both.
        put<typename C::registerPluginCreator>(t, &registerCreator);
        put<typename C::deregisterPluginCreator>(t, &deregisterCreator);
        put<typename C::getPluginCreator>(t, &getPluginCreator);
      }
      return t;
    }();
    return t.data();
  }

  // What getPluginRegistry() and IRuntime::getPluginRegistry() return.
  static void* object() {
    static PlainObject registry{table()};
    return &registry;
  }
};

}  // namespace emu
