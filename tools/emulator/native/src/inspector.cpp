#include "inspector.h"

#include "dims.h"
#include "json.h"
#include "shapes.h"

namespace emu {

namespace {

constexpr int32_t kOneLine = 0;
constexpr int32_t kJson = 1;
constexpr int32_t kDetailed = 2;

}  // namespace

std::string Inspector::tensorJson(int t, const std::vector<Dims64>* shapes) {
  const TensorDesc& td = engine_->plan().tensors[t];
  const Dims64& d = shapes ? (*shapes)[t] : td.dims;
  return "{\"Name\":" + jsonString(td.name) + ",\"Location\":\"Device\",\"Dimensions\":" + jsonDims(d) +
         ",\"Format/Datatype\":" + jsonString(std::string("Row major linear ") + dtypeTrtName(td.dtype)) + "}";
}

std::string Inspector::layerText(int i, bool json) {
  const Plan& p = engine_->plan();
  const LayerDesc& l = p.layers[i];
  if (p.profilingVerbosity != kDetailed) return json ? jsonString(l.name) : l.name;

  // Concrete shapes when a context is attached and all its input shapes are
  // set; the engine's declared shapes (-1 for dynamic dims) otherwise.
  std::vector<Dims64> shapes;
  const std::vector<Dims64>* use = nullptr;
  auto ctx = context_.lock();
  if (ctx && ctx->allInputDimensionsSpecified()) {
    shapes.assign(p.tensors.size(), invalidDims());
    for (int t : p.inputs) shapes[t] = ctx->tensorShape(p.tensors[t].name.c_str());
    std::string error;
    if (inferShapes(p, shapes, ShapeMode::kConcrete, error)) use = &shapes;
  }

  if (!json) {
    std::string s = l.name + ": " + layerKindName(l.kind) + " (";
    for (size_t k = 0; k < l.inputs.size(); ++k) {
      const TensorDesc& td = p.tensors[l.inputs[k]];
      s += (k ? ", " : "") + td.name + " " + dtypeShortName(td.dtype) +
           dimsToString(use ? (*use)[l.inputs[k]] : td.dims);
    }
    const TensorDesc& o = p.tensors[l.output];
    return s + ") -> " + o.name + " " + dtypeShortName(o.dtype) + dimsToString(use ? (*use)[l.output] : o.dims);
  }
  std::string s = "{\"Name\":" + jsonString(l.name) + ",\"LayerType\":" + jsonString(layerKindName(l.kind)) +
                  ",\"Inputs\":[";
  for (size_t k = 0; k < l.inputs.size(); ++k) s += (k ? "," : "") + tensorJson(l.inputs[k], use);
  s += "],\"Outputs\":[" + tensorJson(l.output, use) + "]";
  switch (l.kind) {
    case LayerKind::kMatMul:
      s += ",\"Weights\":{\"Type\":\"Float\",\"Count\":" + std::to_string(l.weights.size()) +
           "},\"Bias\":{\"Type\":\"Float\",\"Count\":" + std::to_string(l.bias.size()) + "}";
      break;
    case LayerKind::kConcat: s += ",\"Axis\":" + std::to_string(l.axis); break;
    case LayerKind::kBusyWait: s += ",\"Microseconds\":" + std::to_string(l.micros); break;
    case LayerKind::kPlugin:
      s += ",\"ParameterType\":\"PluginV3\",\"PluginName\":" + jsonString(l.pluginName) +
           ",\"PluginVersion\":" + jsonString(l.pluginVersion) + ",\"PluginNamespace\":" + jsonString(l.pluginNamespace);
      break;
    default: break;
  }
  return s + ",\"TacticName\":\"emulator\",\"StreamId\":0}";
}

const char* Inspector::layerInformation(int32_t layer, int32_t format) {
  const char* m = "IEngineInspector::getLayerInformation";
  const int32_t n = static_cast<int32_t>(engine_->plan().layers.size());
  if (layer < 0 || layer >= n) {
    engine_->logger().error(std::string(m) + ": layer " + std::to_string(layer) + " is outside [0, " +
                            std::to_string(n) + ")");
    return nullptr;
  }
  if (format != kOneLine && format != kJson) {
    engine_->logger().error(std::string(m) + ": format " + std::to_string(format) + " is not kONELINE or kJSON");
    return nullptr;
  }
  text_ = layerText(layer, format == kJson);
  return text_.c_str();
}

const char* Inspector::engineInformation(int32_t format) {
  const Plan& p = engine_->plan();
  if (format != kOneLine && format != kJson) {
    engine_->logger().error("IEngineInspector::getEngineInformation: format " + std::to_string(format) +
                            " is not kONELINE or kJSON");
    return nullptr;
  }
  std::string s;
  if (format == kJson) {
    s = "{\"Layers\":[";
    for (size_t i = 0; i < p.layers.size(); ++i) s += (i ? "," : "") + layerText(static_cast<int>(i), true);
    s += "],\"Bindings\":[";
    for (size_t i = 0; i < p.io.size(); ++i) s += (i ? "," : "") + jsonString(p.tensors[p.io[i]].name);
    s += "]}";
  } else {
    for (size_t i = 0; i < p.layers.size(); ++i) s += layerText(static_cast<int>(i), false) + "\n";
  }
  text_ = s;
  return text_.c_str();
}

}  // namespace emu
