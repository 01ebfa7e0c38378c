// The plugin registries and the logger finder as the caller sees them: plain
// C++ objects (no wrapper), whose vtables follow the major's
// IPluginRegistry and ILoggerFinder layouts. A registry object
// (RegistryObject) names the PluginRegistry its methods act on: the global
// one (globalObject) or a runtime's own (held by that Runtime). There is one
// logger finder per library: plugin libraries log through the process's
// logger whichever registry loaded them.
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

  static PluginRegistry& of(void* self) { return *static_cast<RegistryObject*>(self)->registry; }

  static void* loadLibrary(void* self, const char* path) {
    return guarded<void*>(self, nullptr, [&] { return of(self).loadLibrary(path, LoggerFinderVtable<V>::object()); });
  }
  static void deregisterLibrary(void* self, void* handle) {
    guardedVoid(self, [&] { of(self).deregisterLibrary(handle); });
  }
  static bool registerCreator(void* self, void* creator, const char* ns) {
    return guarded<bool>(self, false, [&] { return of(self).add(creator, ns, "IPluginRegistry::registerCreator"); });
  }
  static bool deregisterCreator(void* self, void* creator) {
    return guarded<bool>(self, false, [&] { return of(self).remove(creator); });
  }
  static void* getAllCreators(void* self, void* count) {
    return guarded<void*>(self, nullptr, [&] {
      return static_cast<void*>(const_cast<void**>(of(self).all(static_cast<int32_t*>(count))));
    });
  }
  static void* getAllCreatorsRecursive(void* self, void* count) {
    return guarded<void*>(self, nullptr, [&] {
      return static_cast<void*>(const_cast<void**>(of(self).allRecursive(static_cast<int32_t*>(count))));
    });
  }
  static void* find(void* self, const char* name, const char* version, const char* ns, const char* method) {
    return guarded<void*>(self, nullptr, [&]() -> void* {
      const Logger logger = of(self).logger();
      return of(self).lookup(name ? name : "", version ? version : "", ns ? ns : "", method, &logger);
    });
  }
  static void* getCreator(void* self, const char* name, const char* version, const char* ns) {
    return find(self, name, version, ns, "IPluginRegistry::getCreator");
  }
  static void* getPluginCreator(void* self, const char* name, const char* version, const char* ns) {
    return find(self, name, version, ns, "IPluginRegistry::getPluginCreator");
  }
  static bool isParentSearchEnabled(void* self) { return of(self).parentSearchEnabled(); }
  static void setParentSearchEnabled(void* self, bool enabled) { of(self).setParentSearchEnabled(enabled); }

  static const void* const* table() {
    static const auto t = [] {
      auto t = stubTable<PluginRegistryTag, C::kVtableSize>();
      put<typename C::loadLibrary>(t, &loadLibrary);
      put<typename C::deregisterLibrary>(t, &deregisterLibrary);
      put<typename C::registerCreator>(t, &registerCreator);
      put<typename C::deregisterCreator>(t, &deregisterCreator);
      put<typename C::getAllCreators>(t, &getAllCreators);
      put<typename C::getAllCreatorsRecursive>(t, &getAllCreatorsRecursive);
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

  // What the exported getPluginRegistry() returns: the global registry.
  static void* globalObject() {
    static RegistryObject registry{table(), &pluginRegistry()};
    return &registry;
  }
};

}  // namespace emu
