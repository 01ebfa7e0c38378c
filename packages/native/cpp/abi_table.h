// The TensorRT methods this addon calls, as typed slot descriptors resolved
// once for the loaded library's major and version.
//
// Why a table and not a virtual interface per major: the generated header
// (trt_abi.generated.h) already gives, per major, each method's slot and its
// exact function type. A table built from `V10` or `V11` keeps every call
// site major-independent, and because each entry's type is taken from V10 and
// assigned from V11, a signature that differs between majors fails to compile
// instead of silently calling through the wrong type.
#pragma once

#include <cstdint>
#include <string>

#include "trt_abi.generated.h"

namespace trtn {

using trt_abi::Dims64;

// "10.11" -> 101100, "10.0.0" -> 100000: the form getInferLibVersion() uses.
constexpr int32_t ParseVersion(const char* s) {
  int32_t parts[3] = {0, 0, 0};
  int index = 0;
  for (; *s != '\0' && index < 3; ++s) {
    if (*s == '.') {
      ++index;
    } else {
      parts[index] = parts[index] * 10 + (*s - '0');
    }
  }
  return parts[0] * 10000 + parts[1] * 100 + parts[2];
}
static_assert(ParseVersion("10.11") == 101100, "ParseVersion");
static_assert(ParseVersion("10.1.0") == 100100, "ParseVersion");

// Enum values that major-independent code uses. Taken from V10 and checked
// against V11, so a renumbering in a future major fails to compile here.
namespace abi_enum {
#define TRTN_ENUM(name, Enum, value)                                                 \
  inline constexpr int32_t name = static_cast<int32_t>(trt_abi::V10::Enum::value); \
  static_assert(name == static_cast<int32_t>(trt_abi::V11::Enum::value), #Enum "::" #value " moved");
TRTN_ENUM(kIOModeInput, TensorIOMode, kINPUT)
TRTN_ENUM(kLocationHost, TensorLocation, kHOST)
TRTN_ENUM(kProfileMin, OptProfileSelector, kMIN)
TRTN_ENUM(kProfileOpt, OptProfileSelector, kOPT)
TRTN_ENUM(kProfileMax, OptProfileSelector, kMAX)
TRTN_ENUM(kStrategyStatic, ExecutionContextAllocationStrategy, kSTATIC)
TRTN_ENUM(kStrategyOnProfileChange, ExecutionContextAllocationStrategy, kON_PROFILE_CHANGE)
TRTN_ENUM(kStrategyUserManaged, ExecutionContextAllocationStrategy, kUSER_MANAGED)
TRTN_ENUM(kLayerInfoJson, LayerInformationFormat, kJSON)
TRTN_ENUM(kSeverityInternalError, Severity, kINTERNAL_ERROR)
TRTN_ENUM(kSeverityError, Severity, kERROR)
TRTN_ENUM(kSeverityWarning, Severity, kWARNING)
TRTN_ENUM(kSeverityInfo, Severity, kINFO)
TRTN_ENUM(kSeverityVerbose, Severity, kVERBOSE)
TRTN_ENUM(kHardwareAmperePlus, HardwareCompatibilityLevel, kAMPERE_PLUS)
TRTN_ENUM(kHardwareSameComputeCapability, HardwareCompatibilityLevel, kSAME_COMPUTE_CAPABILITY)
#undef TRTN_ENUM
}  // namespace abi_enum

// One method of an implementation class. `slot` is -1 when the loaded library
// predates the method (its `since` is newer): such a method must not be called.
template <class Fn>
struct Method {
  int slot = -1;
  const char* name = "";
  bool available() const { return slot >= 0; }
};

// Thrown (and turned into a JS error at the boundary) when code asks for a
// method the loaded library does not have. Call sites of optional methods
// check available() first; this is the safety net.
struct UnsupportedMethod {
  const char* name;
  int32_t libraryVersion;
};

#define TRTN_METHOD(Class, name) Method<trt_abi::V10::Class::name::Fn> name

struct AbiTable {
  int major = 0;
  int32_t version = 0;  // getInferLibVersion() of the loaded library
  int implPointerOffset = 8;
  int deletingDestructorSlot = 1;

  struct {
    TRTN_METHOD(VRuntime, deserializeCudaEngine);
    TRTN_METHOD(VRuntime, setEngineHostCodeAllowed);
    TRTN_METHOD(VRuntime, getPluginRegistry);
  } runtime;

  // IPluginRegistry: an object the library hands out as it is (no wrapper);
  // call with CallPlain. Its slots differ between 10 and 11.
  struct {
    TRTN_METHOD(IPluginRegistry, loadLibrary);
    TRTN_METHOD(IPluginRegistry, getAllCreators);
  } pluginRegistry;

  struct {
    TRTN_METHOD(VCudaEngine, getNbLayers);
    TRTN_METHOD(VCudaEngine, serialize);
    TRTN_METHOD(VCudaEngine, createExecutionContext);
    TRTN_METHOD(VCudaEngine, getName);
    TRTN_METHOD(VCudaEngine, getNbOptimizationProfiles);
    TRTN_METHOD(VCudaEngine, createEngineInspector);
    TRTN_METHOD(VCudaEngine, getTensorShape);
    TRTN_METHOD(VCudaEngine, getTensorDataType);
    TRTN_METHOD(VCudaEngine, getTensorLocation);
    TRTN_METHOD(VCudaEngine, getTensorIOMode);
    TRTN_METHOD(VCudaEngine, getTensorFormatDesc);
    TRTN_METHOD(VCudaEngine, getProfileShape);
    TRTN_METHOD(VCudaEngine, getNbIOTensors);
    TRTN_METHOD(VCudaEngine, getIOTensorName);
    TRTN_METHOD(VCudaEngine, getHardwareCompatibilityLevel);
    TRTN_METHOD(VCudaEngine, getStreamableWeightsSize);
    TRTN_METHOD(VCudaEngine, setWeightStreamingBudgetV2);
    TRTN_METHOD(VCudaEngine, getWeightStreamingBudgetV2);
    TRTN_METHOD(VCudaEngine, getWeightStreamingAutomaticBudget);
    TRTN_METHOD(VCudaEngine, getWeightStreamingScratchMemorySize);
    TRTN_METHOD(VCudaEngine, getDeviceMemorySizeV2);
    TRTN_METHOD(VCudaEngine, getAliasedInputTensor);
  } engine;

  struct {
    TRTN_METHOD(VExecutionContext, setProfiler);
    TRTN_METHOD(VExecutionContext, setDeviceMemory);
    TRTN_METHOD(VExecutionContext, setDeviceMemoryV2);
    TRTN_METHOD(VExecutionContext, getOptimizationProfile);
    TRTN_METHOD(VExecutionContext, setOptimizationProfileAsync);
    TRTN_METHOD(VExecutionContext, setEnqueueEmitsProfile);
    TRTN_METHOD(VExecutionContext, reportToProfiler);
    TRTN_METHOD(VExecutionContext, setInputShape);
    TRTN_METHOD(VExecutionContext, getTensorShape);
    TRTN_METHOD(VExecutionContext, setTensorAddress);
    TRTN_METHOD(VExecutionContext, setOutputAllocator);
    TRTN_METHOD(VExecutionContext, enqueueV3);
    TRTN_METHOD(VExecutionContext, updateDeviceMemorySizeForShapes);
  } context;

  struct {
    TRTN_METHOD(VEngineInspector, setExecutionContext);
    TRTN_METHOD(VEngineInspector, getLayerInformation);
    TRTN_METHOD(VEngineInspector, getEngineInformation);
  } inspector;

  struct {
    TRTN_METHOD(VHostMemory, data);
    TRTN_METHOD(VHostMemory, size);
  } hostMemory;

  // Calls `m` on an object the library returned: the method lives on the
  // implementation object whose pointer sits at implPointerOffset inside the
  // wrapper, and takes that implementation pointer as `this`.
  template <class R, class... P, class... A>
  R Call(const Method<R (*)(void*, P...)>& m, void* wrapper, A... args) const {
    if (m.slot < 0) throw UnsupportedMethod{m.name, version};
    void* impl = *reinterpret_cast<void**>(static_cast<char*>(wrapper) + implPointerOffset);
    void* const* vtable = *reinterpret_cast<void* const* const*>(impl);
    auto fn = reinterpret_cast<R (*)(void*, P...)>(vtable[m.slot]);
    return fn(impl, args...);
  }

  // Calls `m` on an object that is its own implementation (the plugin
  // registry): its vtable is at offset 0 and it is `this`.
  template <class R, class... P, class... A>
  R CallPlain(const Method<R (*)(void*, P...)>& m, void* object, A... args) const {
    if (m.slot < 0) throw UnsupportedMethod{m.name, version};
    void* const* vtable = *reinterpret_cast<void* const* const*>(object);
    auto fn = reinterpret_cast<R (*)(void*, P...)>(vtable[m.slot]);
    return fn(object, args...);
  }

  // Frees an object the library returned through the wrapper's own deleting
  // destructor (what `delete obj` does in C++ against NVIDIA's headers).
  void Destroy(void* wrapper) const;
};

#undef TRTN_METHOD

// The table for a library reporting `version`, or nullptr when its major is
// not one this build knows (then `error` says which majors are supported).
const AbiTable* AbiTableFor(int32_t version, std::string* error);

// "10, 11": for messages.
const char* SupportedMajors();

}  // namespace trtn
