#include "engine_description.h"

namespace trtn {
namespace {

std::string OrEmpty(const char* s) { return s != nullptr ? s : ""; }

Napi::Object Freeze(Napi::Env env, Napi::Object obj) {
  Napi::Object objectCtor = env.Global().Get("Object").As<Napi::Object>();
  objectCtor.Get("freeze").As<Napi::Function>().Call(objectCtor, {obj});
  return obj;
}

Napi::Array FrozenDims(Napi::Env env, const Dims64& dims) {
  Napi::Array a = DimsToJs(env, dims);
  Freeze(env, a);
  return a;
}

}  // namespace

const char* DataTypeName(int32_t dtype) {
  using D = trt_abi::V10::DataType;  // identical in 11 (tools/abi checks the facts)
  switch (static_cast<D>(dtype)) {
    case D::kFLOAT: return "float";
    case D::kHALF: return "half";
    case D::kINT8: return "int8";
    case D::kINT32: return "int32";
    case D::kBOOL: return "bool";
    case D::kUINT8: return "uint8";
    case D::kFP8: return "fp8";
    case D::kBF16: return "bf16";
    case D::kINT64: return "int64";
    case D::kINT4: return "int4";
    case D::kFP4: return "fp4";
    case D::kE8M0: return "e8m0";
  }
  return "unknown";
}

Napi::Array DimsToJs(Napi::Env env, const Dims64& dims) {
  const int n = dims.nbDims < 0 ? 0 : dims.nbDims;
  Napi::Array a = Napi::Array::New(env, n);
  for (int i = 0; i < n; ++i) a.Set(static_cast<uint32_t>(i), static_cast<double>(dims.d[i]));
  return a;
}

EngineDescription DescribeEngine(const AbiTable& abi, void* engine) {
  const auto& e = abi.engine;
  EngineDescription d;
  d.name = OrEmpty(abi.Call(e.getName, engine));
  d.layerCount = abi.Call(e.getNbLayers, engine);
  d.profileCount = abi.Call(e.getNbOptimizationProfiles, engine);
  d.streamableWeightsBytes = abi.Call(e.getStreamableWeightsSize, engine);
  d.hardwareCompatibilityLevel = abi.Call(e.getHardwareCompatibilityLevel, engine);
  // getDeviceMemorySizeV2 arrived in 10.1; 10.0 only has the deprecated size_t
  // variant, which this addon does not call, so it reports 0 there.
  d.deviceMemoryBytes = e.getDeviceMemorySizeV2.available() ? abi.Call(e.getDeviceMemorySizeV2, engine) : 0;

  const int32_t count = abi.Call(e.getNbIOTensors, engine);
  d.io.reserve(count > 0 ? count : 0);
  for (int32_t i = 0; i < count; ++i) {
    TensorDescription t;
    t.name = OrEmpty(abi.Call(e.getIOTensorName, engine, i));
    const char* name = t.name.c_str();
    t.isInput = abi.Call(e.getTensorIOMode, engine, name) == abi_enum::kIOModeInput;
    t.dtype = abi.Call(e.getTensorDataType, engine, name);
    t.shape = abi.Call(e.getTensorShape, engine, name);
    t.location = abi.Call(e.getTensorLocation, engine, name);
    t.format = OrEmpty(abi.Call(e.getTensorFormatDesc, engine, name));
    if (t.isInput) {
      for (int32_t p = 0; p < d.profileCount; ++p) {
        t.profiles.push_back({abi.Call(e.getProfileShape, engine, name, p, abi_enum::kProfileMin),
                              abi.Call(e.getProfileShape, engine, name, p, abi_enum::kProfileOpt),
                              abi.Call(e.getProfileShape, engine, name, p, abi_enum::kProfileMax)});
      }
    } else if (e.getAliasedInputTensor.available()) {
      const char* alias = abi.Call(e.getAliasedInputTensor, engine, name);
      if (alias != nullptr && alias[0] != '\0') {
        t.hasAlias = true;
        t.aliasedInput = alias;
      }
    }
    (t.isInput ? d.inputs : d.outputs).push_back(static_cast<int>(d.io.size()));
    d.io.push_back(std::move(t));
  }
  return d;
}

Napi::Object EngineInfoToJs(Napi::Env env, const EngineDescription& d) {
  Napi::Object info = Napi::Object::New(env);
  info.Set("name", d.name);
  info.Set("layerCount", d.layerCount);
  info.Set("profileCount", d.profileCount);
  Napi::Array io = Napi::Array::New(env, d.io.size());
  for (uint32_t i = 0; i < d.io.size(); ++i) {
    const TensorDescription& t = d.io[i];
    Napi::Object spec = Napi::Object::New(env);
    spec.Set("name", t.name);
    spec.Set("mode", t.isInput ? "input" : "output");
    spec.Set("dtype", DataTypeName(t.dtype));
    spec.Set("shape", FrozenDims(env, t.shape));
    spec.Set("location", t.location == abi_enum::kLocationHost ? "host" : "device");
    spec.Set("format", t.format);
    Napi::Array profiles = Napi::Array::New(env, t.profiles.size());
    for (uint32_t p = 0; p < t.profiles.size(); ++p) {
      Napi::Object shape = Napi::Object::New(env);
      shape.Set("min", FrozenDims(env, t.profiles[p][0]));
      shape.Set("opt", FrozenDims(env, t.profiles[p][1]));
      shape.Set("max", FrozenDims(env, t.profiles[p][2]));
      profiles.Set(p, Freeze(env, shape));
    }
    spec.Set("profiles", Freeze(env, profiles));
    spec.Set("aliasedInput", t.hasAlias ? Napi::Value(Napi::String::New(env, t.aliasedInput)) : env.Null());
    io.Set(i, Freeze(env, spec));
  }
  info.Set("io", Freeze(env, io));
  info.Set("deviceMemoryBytes", static_cast<double>(d.deviceMemoryBytes));
  info.Set("streamableWeightsBytes", static_cast<double>(d.streamableWeightsBytes));
  const int32_t level = d.hardwareCompatibilityLevel;
  info.Set("hardwareCompatibilityLevel", level == abi_enum::kHardwareAmperePlus                ? "ampere_plus"
                                         : level == abi_enum::kHardwareSameComputeCapability ? "same_compute_capability"
                                                                                             : "none");
  return Freeze(env, info);
}

}  // namespace trtn
