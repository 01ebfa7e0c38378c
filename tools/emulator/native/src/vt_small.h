// Vtables of the small objects: IRuntimeConfig, IHostMemory, IEngineInspector.
// Each thunk is a free function whose type is exactly the ABI table's Fn for
// its slot (checked by `put`), with the Impl as `self`.
#pragma once

#include <array>

#include "guard.h"
#include "inspector.h"
#include "objects.h"
#include "runtime.h"
#include "stubs.h"

namespace emu {

template <class V>
struct RuntimeConfigVtable {
  using C = typename V::VRuntimeConfig;

  static void setExecutionContextAllocationStrategy(void* self, int32_t strategy) {
    guardedVoid(self, [&] {
      RuntimeConfig& c = coreOf<RuntimeConfig>(self);
      if (strategy < 0 || strategy > 2) {
        c.logger.error("IRuntimeConfig::setExecutionContextAllocationStrategy: " + std::to_string(strategy) +
                       " is not kSTATIC, kON_PROFILE_CHANGE or kUSER_MANAGED");
        return;
      }
      c.strategy = strategy;
    });
  }
  static int32_t getExecutionContextAllocationStrategy(void* self) {
    return guarded<int32_t>(self, 0, [&] { return coreOf<RuntimeConfig>(self).strategy; });
  }

  static const void* const* table() {
    static const auto t = [] {
      auto t = stubTable<RuntimeConfigTag, C::kVtableSize>();
      put<typename C::setExecutionContextAllocationStrategy>(t, &setExecutionContextAllocationStrategy);
      put<typename C::getExecutionContextAllocationStrategy>(t, &getExecutionContextAllocationStrategy);
      return t;
    }();
    return t.data();
  }
};

template <class V>
struct HostMemoryVtable {
  using C = typename V::VHostMemory;

  static void* data(void* self) {
    return guarded<void*>(self, nullptr, [&] { return static_cast<void*>(coreOf<HostMemory>(self).bytes.data()); });
  }
  static uint64_t size(void* self) {
    return guarded<uint64_t>(self, 0, [&] { return static_cast<uint64_t>(coreOf<HostMemory>(self).bytes.size()); });
  }
  static int32_t type(void* /*self*/) { return static_cast<int32_t>(V::DataType::kUINT8); }

  static const void* const* table() {
    static const auto t = [] {
      auto t = stubTable<HostMemoryTag, C::kVtableSize>();
      put<typename C::data>(t, &data);
      put<typename C::size>(t, &size);
      put<typename C::type>(t, &type);
      return t;
    }();
    return t.data();
  }
};

template <class V>
struct InspectorVtable {
  using C = typename V::VEngineInspector;

  static bool setExecutionContext(void* self, void* context) {
    return guarded<bool>(self, false, [&] {
      Inspector& in = coreOf<Inspector>(self);
      if (!context) {
        in.setContext({}, nullptr);
        return true;
      }
      if (!isLiveWrapper(context, ObjectKind::kContext)) {
        in.engine().logger().error("IEngineInspector::setExecutionContext: not a live IExecutionContext");
        return false;
      }
      Object<Context>* ctx = objectOfWrapper<Context>(context);
      if (&ctx->core->engine() != &in.engine()) {
        in.engine().logger().error("IEngineInspector::setExecutionContext: the context belongs to another engine");
        return false;
      }
      in.setContext(ctx->core, context);
      return true;
    });
  }
  static void* getExecutionContext(void* self) {
    return guarded<void*>(self, nullptr, [&] { return coreOf<Inspector>(self).contextWrapper(); });
  }
  static const char* getLayerInformation(void* self, int32_t layer, int32_t format) {
    return guarded<const char*>(self, nullptr,
                                [&] { return coreOf<Inspector>(self).layerInformation(layer, format); });
  }
  static const char* getEngineInformation(void* self, int32_t format) {
    return guarded<const char*>(self, nullptr, [&] { return coreOf<Inspector>(self).engineInformation(format); });
  }

  static const void* const* table() {
    static const auto t = [] {
      auto t = stubTable<InspectorTag, C::kVtableSize>();
      put<typename C::setExecutionContext>(t, &setExecutionContext);
      put<typename C::getExecutionContext>(t, &getExecutionContext);
      put<typename C::getLayerInformation>(t, &getLayerInformation);
      put<typename C::getEngineInformation>(t, &getEngineInformation);
      return t;
    }();
    return t.data();
  }
};

}  // namespace emu
