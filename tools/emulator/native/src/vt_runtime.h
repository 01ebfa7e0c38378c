// IRuntime's vtable for major V.
#pragma once

#include <array>

#include "guard.h"
#include "objects.h"
#include "runtime.h"
#include "stubs.h"
#include "vt_engine.h"
#include "vt_plugin.h"

namespace emu {

template <class V>
struct RuntimeVtable {
  using C = typename V::VRuntime;

  static void* deserializeCudaEngine(void* self, void* blob, uint64_t size) {
    return guarded<void*>(self, nullptr, [&]() -> void* {
      Runtime& rt = coreOf<Runtime>(self);
      std::shared_ptr<Engine> engine = rt.deserialize(blob, size);
      if (!engine) return nullptr;
      return makeObject<Engine>(engine, ObjectKind::kEngine, EngineVtable<V>::table(), rt.logger());
    });
  }
  static void setEngineHostCodeAllowed(void* self, bool allowed) {
    guardedVoid(self, [&] { coreOf<Runtime>(self).setEngineHostCodeAllowed(allowed); });
  }
  static bool getEngineHostCodeAllowed(void* self) {
    return guarded<bool>(self, false, [&] { return coreOf<Runtime>(self).engineHostCodeAllowed(); });
  }

  // The runtime's own registry, not the global one the exported getPluginRegistry() returns.
  static void* getPluginRegistry(void* self) {
    return guarded<void*>(self, nullptr, [&] { return coreOf<Runtime>(self).pluginRegistryObject(); });
  }

  static const void* const* table() {
    static const auto t = [] {
      auto t = stubTable<RuntimeTag, C::kVtableSize>();
      put<typename C::deserializeCudaEngine>(t, &deserializeCudaEngine);
      put<typename C::setEngineHostCodeAllowed>(t, &setEngineHostCodeAllowed);
      put<typename C::getEngineHostCodeAllowed>(t, &getEngineHostCodeAllowed);
      put<typename C::getPluginRegistry>(t, &getPluginRegistry);
      return t;
    }();
    return t.data();
  }
};

}  // namespace emu
