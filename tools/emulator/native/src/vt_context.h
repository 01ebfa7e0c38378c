// IExecutionContext's vtable for major V.
#pragma once

#include <array>

#include "context.h"
#include "guard.h"
#include "objects.h"
#include "stubs.h"
#include "vt_small.h"

namespace emu {

template <class V>
struct ContextVtable {
  using C = typename V::VExecutionContext;
  static Context& ctx(void* self) { return coreOf<Context>(self); }

  static void setProfiler(void* self, void* profiler) { guardedVoid(self, [&] { ctx(self).setProfiler(profiler); }); }
  static void* getProfiler(void* self) { return guarded<void*>(self, nullptr, [&] { return ctx(self).profiler(); }); }
  static void* getEngine(void* self) {
    return guarded<void*>(self, nullptr, [&] { return ctx(self).engineWrapper(); });
  }
  static void setName(void* self, const char* name) { guardedVoid(self, [&] { ctx(self).setName(name); }); }
  static const char* getName(void* self) {
    return guarded<const char*>(self, nullptr, [&] { return ctx(self).name(); });
  }
  static void setDeviceMemory(void* self, void* memory) {
    guardedVoid(self, [&] { ctx(self).setDeviceMemory(memory, -1, "IExecutionContext::setDeviceMemory"); });
  }
  static void setDeviceMemoryV2(void* self, void* memory, int64_t size) {
    guardedVoid(self, [&] {
      if (size < 0) {
        ctx(self).engine().logger().error("IExecutionContext::setDeviceMemoryV2: size " + std::to_string(size) +
                                          " is negative");
        return;
      }
      ctx(self).setDeviceMemory(memory, size, "IExecutionContext::setDeviceMemoryV2");
    });
  }
  static int32_t getOptimizationProfile(void* self) {
    return guarded<int32_t>(self, -1, [&] { return ctx(self).optimizationProfile(); });
  }
  static bool allInputDimensionsSpecified(void* self) {
    return guarded<bool>(self, false, [&] { return ctx(self).allInputDimensionsSpecified(); });
  }
  static bool setOptimizationProfileAsync(void* self, int32_t index, void* stream) {
    return guarded<bool>(self, false, [&] { return ctx(self).setOptimizationProfile(index, stream); });
  }
  static void setEnqueueEmitsProfile(void* self, bool emits) {
    guardedVoid(self, [&] { ctx(self).setEnqueueEmitsProfile(emits); });
  }
  static bool getEnqueueEmitsProfile(void* self) {
    return guarded<bool>(self, false, [&] { return ctx(self).enqueueEmitsProfile(); });
  }
  static bool reportToProfiler(void* self) {
    return guarded<bool>(self, false, [&] { return ctx(self).reportToProfiler(); });
  }
  static bool setInputShape(void* self, const char* name, const Dims64* dims) {
    return guarded<bool>(self, false, [&] { return ctx(self).setInputShape(name, dims); });
  }
  static Dims64 getTensorShape(void* self, const char* name) {
    return guarded<Dims64>(self, Dims64{-1, {}}, [&] { return ctx(self).tensorShape(name); });
  }
  static Dims64 getTensorStrides(void* self, const char* name) {
    return guarded<Dims64>(self, Dims64{-1, {}}, [&] { return ctx(self).tensorStrides(name); });
  }
  static bool setTensorAddress(void* self, const char* name, void* data) {
    return guarded<bool>(self, false, [&] { return ctx(self).setTensorAddress(name, data); });
  }
  static void* getTensorAddress(void* self, const char* name) {
    return guarded<void*>(self, nullptr, [&] { return ctx(self).tensorAddress(name); });
  }
  static int32_t inferShapes(void* self, int32_t nbMaxNames, void* names) {
    return guarded<int32_t>(self, -1,
                            [&] { return ctx(self).inferShapes(nbMaxNames, static_cast<const char**>(names)); });
  }
  static bool setOutputAllocator(void* self, const char* name, void* allocator) {
    return guarded<bool>(self, false, [&] { return ctx(self).setOutputAllocator(name, allocator); });
  }
  static void* getOutputAllocator(void* self, const char* name) {
    return guarded<void*>(self, nullptr, [&] { return ctx(self).outputAllocator(name); });
  }
  static int64_t getMaxOutputSize(void* self, const char* name) {
    return guarded<int64_t>(self, -1, [&] { return ctx(self).maxOutputSize(name); });
  }
  static bool enqueueV3(void* self, void* stream) {
    return guarded<bool>(self, false, [&] { return ctx(self).enqueue(stream); });
  }
  static uint64_t updateDeviceMemorySizeForShapes(void* self) {
    return guarded<uint64_t>(self, 0, [&] { return ctx(self).updateDeviceMemorySizeForShapes(); });
  }
  // The IRuntimeConfig a context reports is owned by the context (released
  // with it), and reflects the strategy the context was created with.
  static void* getRuntimeConfig(void* self) {
    return guarded<void*>(self, nullptr, [&]() -> void* {
      Object<Context>* o = objectOfImpl<Context>(self);
      if (!o->child) {
        auto config = std::make_shared<RuntimeConfig>(o->core->engine().logger());
        config->strategy = static_cast<int32_t>(o->core->strategy());
        o->child = makeObject<RuntimeConfig>(config, ObjectKind::kRuntimeConfig, RuntimeConfigVtable<V>::table(),
                                             config->logger);
        o->destroyChild = [](Wrapper* w) { wrapperDeletingDtor<RuntimeConfig>(w); };
      }
      return o->child;
    });
  }

  static const void* const* table() {
    static const auto t = [] {
      auto t = stubTable<ContextTag, C::kVtableSize>();
      put<typename C::setProfiler>(t, &setProfiler);
      put<typename C::getProfiler>(t, &getProfiler);
      put<typename C::getEngine>(t, &getEngine);
      put<typename C::setName>(t, &setName);
      put<typename C::getName>(t, &getName);
      put<typename C::setDeviceMemory>(t, &setDeviceMemory);
      put<typename C::getOptimizationProfile>(t, &getOptimizationProfile);
      put<typename C::allInputDimensionsSpecified>(t, &allInputDimensionsSpecified);
      put<typename C::setOptimizationProfileAsync>(t, &setOptimizationProfileAsync);
      put<typename C::setEnqueueEmitsProfile>(t, &setEnqueueEmitsProfile);
      put<typename C::getEnqueueEmitsProfile>(t, &getEnqueueEmitsProfile);
      put<typename C::reportToProfiler>(t, &reportToProfiler);
      put<typename C::setInputShape>(t, &setInputShape);
      put<typename C::getTensorShape>(t, &getTensorShape);
      put<typename C::getTensorStrides>(t, &getTensorStrides);
      put<typename C::setTensorAddress>(t, &setTensorAddress);
      put<typename C::getTensorAddress>(t, &getTensorAddress);
      put<typename C::inferShapes>(t, &inferShapes);
      put<typename C::setOutputAllocator>(t, &setOutputAllocator);
      put<typename C::getOutputAllocator>(t, &getOutputAllocator);
      put<typename C::getMaxOutputSize>(t, &getMaxOutputSize);
      put<typename C::enqueueV3>(t, &enqueueV3);
      put<typename C::updateDeviceMemorySizeForShapes>(t, &updateDeviceMemorySizeForShapes);
      put<typename C::setDeviceMemoryV2>(t, &setDeviceMemoryV2);
      put<typename C::getRuntimeConfig>(t, &getRuntimeConfig);
      return t;
    }();
    return t.data();
  }
};

}  // namespace emu
