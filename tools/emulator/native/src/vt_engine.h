// ICudaEngine's vtable for major V.
#pragma once

#include <array>

#include "context.h"
#include "engine.h"
#include "guard.h"
#include "inspector.h"
#include "objects.h"
#include "runtime.h"
#include "stubs.h"
#include "vt_context.h"
#include "vt_small.h"

namespace emu {

template <class V>
struct EngineVtable {
  using C = typename V::VCudaEngine;
  static Engine& eng(void* self) { return coreOf<Engine>(self); }

  // Contexts: share the engine core, remember the engine's wrapper for getEngine().
  static void* newContext(void* self, int32_t strategy, const char* method) {
    Object<Engine>* e = objectOfImpl<Engine>(self);
    if (strategy < 0 || strategy > 2) {
      e->core->logger().error(std::string(method) + ": allocation strategy " + std::to_string(strategy) +
                              " is not kSTATIC, kON_PROFILE_CHANGE or kUSER_MANAGED");
      return nullptr;
    }
    auto context = std::make_shared<Context>(e->core, static_cast<AllocStrategy>(strategy), &e->wrapper);
    if (!context->init()) return nullptr;
    return makeObject<Context>(context, ObjectKind::kContext, ContextVtable<V>::table(), e->core->logger());
  }

  static int32_t getNbLayers(void* self) {
    return guarded<int32_t>(self, 0, [&] { return static_cast<int32_t>(eng(self).plan().layers.size()); });
  }
  static void* serialize(void* self) {
    return guarded<void*>(self, nullptr, [&]() -> void* {
      auto mem = std::make_shared<HostMemory>();
      mem->bytes = eng(self).plan().bytes;
      return makeObject<HostMemory>(mem, ObjectKind::kHostMemory, HostMemoryVtable<V>::table(), eng(self).logger());
    });
  }
  static void* createExecutionContext(void* self, int32_t strategy) {
    return guarded<void*>(self, nullptr,
                          [&] { return newContext(self, strategy, "ICudaEngine::createExecutionContext"); });
  }
  static void* createExecutionContextWithRuntimeConfig(void* self, void* config) {
    return guarded<void*>(self, nullptr, [&]() -> void* {
      const char* m = "ICudaEngine::createExecutionContext(IRuntimeConfig*)";
      int32_t strategy = 0;
      if (config) {
        if (!isLiveWrapper(config, ObjectKind::kRuntimeConfig)) {
          eng(self).logger().error(std::string(m) + ": not a live IRuntimeConfig");
          return nullptr;
        }
        strategy = objectOfWrapper<RuntimeConfig>(config)->core->strategy;
      }
      return newContext(self, strategy, m);
    });
  }
  static void* createRuntimeConfig(void* self) {
    return guarded<void*>(self, nullptr, [&]() -> void* {
      auto config = std::make_shared<RuntimeConfig>(eng(self).logger());
      return makeObject<RuntimeConfig>(config, ObjectKind::kRuntimeConfig, RuntimeConfigVtable<V>::table(),
                                       config->logger);
    });
  }
  static void* createEngineInspector(void* self) {
    return guarded<void*>(self, nullptr, [&]() -> void* {
      Object<Engine>* e = objectOfImpl<Engine>(self);
      auto inspector = std::make_shared<Inspector>(e->core);
      return makeObject<Inspector>(inspector, ObjectKind::kInspector, InspectorVtable<V>::table(), e->core->logger());
    });
  }
  static const char* getName(void* self) {
    return guarded<const char*>(self, nullptr, [&] { return eng(self).plan().name.c_str(); });
  }
  static int32_t getNbOptimizationProfiles(void* self) {
    return guarded<int32_t>(self, 0, [&] { return static_cast<int32_t>(eng(self).plan().profiles.size()); });
  }
  static int32_t getProfilingVerbosity(void* self) {
    return guarded<int32_t>(self, 0, [&] { return eng(self).plan().profilingVerbosity; });
  }
  static Dims64 getTensorShape(void* self, const char* name) {
    return guarded<Dims64>(self, Dims64{-1, {}}, [&] { return eng(self).tensorShape(name); });
  }
  static int32_t getTensorDataType(void* self, const char* name) {
    return guarded<int32_t>(self, 0, [&] { return eng(self).tensorDataType(name); });
  }
  static int32_t getTensorLocation(void* self, const char* name) {
    return guarded<int32_t>(self, 0, [&] { return eng(self).tensorLocation(name); });
  }
  static bool isShapeInferenceIO(void* self, const char* name) {
    return guarded<bool>(self, false, [&] { return eng(self).isShapeInferenceIO(name); });
  }
  static int32_t getTensorIOMode(void* self, const char* name) {
    return guarded<int32_t>(self, 0, [&] { return eng(self).tensorIOMode(name); });
  }
  static int32_t getTensorBytesPerComponent(void* self, const char* name) {
    return guarded<int32_t>(self, -1, [&] { return eng(self).tensorBytesPerComponent(name); });
  }
  static int32_t getTensorComponentsPerElement(void* self, const char* name) {
    return guarded<int32_t>(self, -1, [&] { return eng(self).tensorComponentsPerElement(name); });
  }
  static int32_t getTensorFormat(void* self, const char* name) {
    return guarded<int32_t>(self, 0, [&] { return eng(self).tensorFormat(name); });
  }
  static const char* getTensorFormatDesc(void* self, const char* name) {
    return guarded<const char*>(self, nullptr, [&] { return eng(self).tensorFormatDesc(name); });
  }
  static Dims64 getProfileShape(void* self, const char* name, int32_t profile, int32_t select) {
    return guarded<Dims64>(self, Dims64{-1, {}}, [&] { return eng(self).profileShape(name, profile, select); });
  }
  static int32_t getNbIOTensors(void* self) {
    return guarded<int32_t>(self, 0, [&] { return eng(self).nbIOTensors(); });
  }
  static const char* getIOTensorName(void* self, int32_t index) {
    return guarded<const char*>(self, nullptr, [&] { return eng(self).ioTensorName(index); });
  }
  static int32_t getHardwareCompatibilityLevel(void* /*self*/) {
    return static_cast<int32_t>(V::HardwareCompatibilityLevel::kNONE);
  }
  static int64_t getStreamableWeightsSize(void* self) {
    return guarded<int64_t>(self, 0, [&] { return eng(self).streamableWeightsSize(); });
  }
  static bool setWeightStreamingBudgetV2(void* self, int64_t budget) {
    return guarded<bool>(self, false, [&] { return eng(self).setWeightStreamingBudget(budget); });
  }
  static int64_t getWeightStreamingBudgetV2(void* self) {
    return guarded<int64_t>(self, 0, [&] { return eng(self).weightStreamingBudget(); });
  }
  static int64_t getWeightStreamingAutomaticBudget(void* self) {
    return guarded<int64_t>(self, 0, [&] { return eng(self).weightStreamingAutomaticBudget(); });
  }
  static int64_t getWeightStreamingScratchMemorySize(void* self) {
    return guarded<int64_t>(self, 0, [&] { return static_cast<int64_t>(eng(self).streamingScratch()); });
  }
  static int64_t getDeviceMemorySizeV2(void* self) {
    return guarded<int64_t>(self, 0, [&] { return eng(self).deviceMemorySize(); });
  }
  static int64_t getDeviceMemorySizeForProfileV2(void* self, int32_t profile) {
    return guarded<int64_t>(self, 0, [&] { return eng(self).deviceMemorySizeForProfile(profile); });
  }
  static const char* getAliasedInputTensor(void* self, const char* name) {
    return guarded<const char*>(self, nullptr, [&] { return eng(self).aliasedInputTensor(name); });
  }

  static const void* const* table() {
    static const auto t = [] {
      auto t = stubTable<EngineTag, C::kVtableSize>();
      put<typename C::getNbLayers>(t, &getNbLayers);
      put<typename C::serialize>(t, &serialize);
      put<typename C::createExecutionContext>(t, &createExecutionContext);
      put<typename C::getName>(t, &getName);
      put<typename C::getNbOptimizationProfiles>(t, &getNbOptimizationProfiles);
      put<typename C::getProfilingVerbosity>(t, &getProfilingVerbosity);
      put<typename C::createEngineInspector>(t, &createEngineInspector);
      put<typename C::getTensorShape>(t, &getTensorShape);
      put<typename C::getTensorDataType>(t, &getTensorDataType);
      put<typename C::getTensorLocation>(t, &getTensorLocation);
      put<typename C::isShapeInferenceIO>(t, &isShapeInferenceIO);
      put<typename C::getTensorIOMode>(t, &getTensorIOMode);
      put<typename C::getTensorBytesPerComponent>(t, &getTensorBytesPerComponent);
      put<typename C::getTensorComponentsPerElement>(t, &getTensorComponentsPerElement);
      put<typename C::getTensorFormat>(t, &getTensorFormat);
      put<typename C::getTensorFormatDesc>(t, &getTensorFormatDesc);
      put<typename C::getProfileShape>(t, &getProfileShape);
      put<typename C::getNbIOTensors>(t, &getNbIOTensors);
      put<typename C::getIOTensorName>(t, &getIOTensorName);
      put<typename C::getHardwareCompatibilityLevel>(t, &getHardwareCompatibilityLevel);
      put<typename C::getStreamableWeightsSize>(t, &getStreamableWeightsSize);
      put<typename C::setWeightStreamingBudgetV2>(t, &setWeightStreamingBudgetV2);
      put<typename C::getWeightStreamingBudgetV2>(t, &getWeightStreamingBudgetV2);
      put<typename C::getWeightStreamingAutomaticBudget>(t, &getWeightStreamingAutomaticBudget);
      put<typename C::getWeightStreamingScratchMemorySize>(t, &getWeightStreamingScratchMemorySize);
      put<typename C::getDeviceMemorySizeV2>(t, &getDeviceMemorySizeV2);
      put<typename C::getDeviceMemorySizeForProfileV2>(t, &getDeviceMemorySizeForProfileV2);
      put<typename C::createExecutionContextWithRuntimeConfig>(t, &createExecutionContextWithRuntimeConfig);
      put<typename C::createRuntimeConfig>(t, &createRuntimeConfig);
      put<typename C::getAliasedInputTensor>(t, &getAliasedInputTensor);
      return t;
    }();
    return t.data();
  }
};

}  // namespace emu
