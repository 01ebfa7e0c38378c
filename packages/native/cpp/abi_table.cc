// Builds the AbiTable for each supported major from the generated header.
#include "abi_table.h"

#include <type_traits>

namespace trtn {
namespace {

// Fills one entry from the generated descriptor `M`. The static_assert is the
// cross-major signature check described in abi_table.h.
template <class M, class Fn>
void Bind(Method<Fn>& out, int32_t version) {
  static_assert(std::is_same_v<typename M::Fn, Fn>,
                "a method's signature differs between TensorRT majors; give it its own table entry");
  out.name = M::name;
  // Interface methods present from a major's first release carry no `since`.
  out.slot = M::since == nullptr || version >= ParseVersion(M::since) ? M::slot : -1;
}

template <class V>
AbiTable MakeTable(int32_t version) {
  AbiTable t;
  t.major = V::kMajor;
  t.version = version;
  t.implPointerOffset = V::kImplPointerOffset;
  t.deletingDestructorSlot = V::kDeletingDestructorSlot;

  using R = typename V::VRuntime;
  Bind<typename R::deserializeCudaEngine>(t.runtime.deserializeCudaEngine, version);
  Bind<typename R::setEngineHostCodeAllowed>(t.runtime.setEngineHostCodeAllowed, version);
  Bind<typename R::getPluginRegistry>(t.runtime.getPluginRegistry, version);

  using PR = typename V::IPluginRegistry;
  Bind<typename PR::loadLibrary>(t.pluginRegistry.loadLibrary, version);
  Bind<typename PR::getAllCreators>(t.pluginRegistry.getAllCreators, version);

  using E = typename V::VCudaEngine;
  Bind<typename E::getNbLayers>(t.engine.getNbLayers, version);
  Bind<typename E::serialize>(t.engine.serialize, version);
  Bind<typename E::createExecutionContext>(t.engine.createExecutionContext, version);
  Bind<typename E::getName>(t.engine.getName, version);
  Bind<typename E::getNbOptimizationProfiles>(t.engine.getNbOptimizationProfiles, version);
  Bind<typename E::createEngineInspector>(t.engine.createEngineInspector, version);
  Bind<typename E::getTensorShape>(t.engine.getTensorShape, version);
  Bind<typename E::getTensorDataType>(t.engine.getTensorDataType, version);
  Bind<typename E::getTensorLocation>(t.engine.getTensorLocation, version);
  Bind<typename E::getTensorIOMode>(t.engine.getTensorIOMode, version);
  Bind<typename E::getTensorFormatDesc>(t.engine.getTensorFormatDesc, version);
  Bind<typename E::getProfileShape>(t.engine.getProfileShape, version);
  Bind<typename E::getNbIOTensors>(t.engine.getNbIOTensors, version);
  Bind<typename E::getIOTensorName>(t.engine.getIOTensorName, version);
  Bind<typename E::getHardwareCompatibilityLevel>(t.engine.getHardwareCompatibilityLevel, version);
  Bind<typename E::getStreamableWeightsSize>(t.engine.getStreamableWeightsSize, version);
  Bind<typename E::setWeightStreamingBudgetV2>(t.engine.setWeightStreamingBudgetV2, version);
  Bind<typename E::getWeightStreamingBudgetV2>(t.engine.getWeightStreamingBudgetV2, version);
  Bind<typename E::getWeightStreamingAutomaticBudget>(t.engine.getWeightStreamingAutomaticBudget, version);
  Bind<typename E::getWeightStreamingScratchMemorySize>(t.engine.getWeightStreamingScratchMemorySize, version);
  Bind<typename E::getDeviceMemorySizeV2>(t.engine.getDeviceMemorySizeV2, version);
  Bind<typename E::getAliasedInputTensor>(t.engine.getAliasedInputTensor, version);

  using C = typename V::VExecutionContext;
  Bind<typename C::setProfiler>(t.context.setProfiler, version);
  Bind<typename C::setDeviceMemory>(t.context.setDeviceMemory, version);
  Bind<typename C::setDeviceMemoryV2>(t.context.setDeviceMemoryV2, version);
  Bind<typename C::getOptimizationProfile>(t.context.getOptimizationProfile, version);
  Bind<typename C::setOptimizationProfileAsync>(t.context.setOptimizationProfileAsync, version);
  Bind<typename C::setEnqueueEmitsProfile>(t.context.setEnqueueEmitsProfile, version);
  Bind<typename C::reportToProfiler>(t.context.reportToProfiler, version);
  Bind<typename C::setInputShape>(t.context.setInputShape, version);
  Bind<typename C::getTensorShape>(t.context.getTensorShape, version);
  Bind<typename C::setTensorAddress>(t.context.setTensorAddress, version);
  Bind<typename C::setOutputAllocator>(t.context.setOutputAllocator, version);
  Bind<typename C::enqueueV3>(t.context.enqueueV3, version);
  Bind<typename C::updateDeviceMemorySizeForShapes>(t.context.updateDeviceMemorySizeForShapes, version);

  using I = typename V::VEngineInspector;
  Bind<typename I::setExecutionContext>(t.inspector.setExecutionContext, version);
  Bind<typename I::getLayerInformation>(t.inspector.getLayerInformation, version);
  Bind<typename I::getEngineInformation>(t.inspector.getEngineInformation, version);

  using H = typename V::VHostMemory;
  Bind<typename H::data>(t.hostMemory.data, version);
  Bind<typename H::size>(t.hostMemory.size, version);
  return t;
}

}  // namespace

void AbiTable::Destroy(void* wrapper) const {
  if (wrapper == nullptr) return;
  void* const* vtable = *reinterpret_cast<void* const* const*>(wrapper);
  auto deleting = reinterpret_cast<void (*)(void*)>(vtable[deletingDestructorSlot]);
  deleting(wrapper);
}

const char* SupportedMajors() { return "10, 11"; }

const AbiTable* AbiTableFor(int32_t version, std::string* error) {
  // Called once per loaded library (library.cc keeps one record per dlopen
  // handle), so each table lives exactly as long as its library: the process.
  switch (trt_abi::majorOfVersion(version)) {
    case trt_abi::V10::kMajor:
      return new AbiTable(MakeTable<trt_abi::V10>(version));  // lives for the process
    case trt_abi::V11::kMajor:
      return new AbiTable(MakeTable<trt_abi::V11>(version));
    default:
      if (error != nullptr) {
        *error = "TensorRT " + std::to_string(trt_abi::majorOfVersion(version)) + " (version " +
                 std::to_string(version) + ") is not supported by this build of @trt/native; supported majors: " +
                 SupportedMajors();
      }
      return nullptr;
  }
}

}  // namespace trtn
