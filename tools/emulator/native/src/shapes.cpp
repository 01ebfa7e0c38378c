#include "shapes.h"

#include "dims.h"

namespace emu {

namespace {

std::string layerRef(const LayerDesc& l) { return std::string(layerKindName(l.kind)) + " layer '" + l.name + "'"; }

// Two dims that must describe the same extent. Symbolically, a dynamic dim
// takes the static one (the other input pins it); concretely, they must agree.
bool mergeDim(int64_t a, int64_t b, ShapeMode mode, int64_t& out) {
  if (a == b) { out = a; return true; }
  if (mode == ShapeMode::kSymbolic && (a < 0 || b < 0)) { out = a < 0 ? b : a; return true; }
  return false;
}

bool sameRankInputs(const LayerDesc& l, const std::vector<Dims64>& shapes, std::string& error) {
  const int rank = shapes[l.inputs[0]].nbDims;
  for (int t : l.inputs) {
    if (shapes[t].nbDims != rank) {
      error = layerRef(l) + ": inputs have different ranks (" + dimsToString(shapes[l.inputs[0]]) + " and " +
              dimsToString(shapes[t]) + ")";
      return false;
    }
  }
  return true;
}

}  // namespace

bool inferLayerShape(const LayerDesc& l, std::vector<Dims64>& shapes, ShapeMode mode, std::string& error) {
  const Dims64& in0 = shapes[l.inputs[0]];
  Dims64 out = in0;
  switch (l.kind) {
    case LayerKind::kIdentity:
    case LayerKind::kRelu:
    case LayerKind::kCast:
    case LayerKind::kBusyWait:
    case LayerKind::kPlugin:
      break;
    case LayerKind::kAdd:
    case LayerKind::kMul: {
      if (!sameRankInputs(l, shapes, error)) return false;
      const Dims64& in1 = shapes[l.inputs[1]];
      for (int i = 0; i < in0.nbDims; ++i) {
        if (!mergeDim(in0.d[i], in1.d[i], mode, out.d[i])) {
          error = layerRef(l) + ": input shapes " + dimsToString(in0) + " and " + dimsToString(in1) +
                  " differ in dimension " + std::to_string(i) + " (no broadcasting)";
          return false;
        }
      }
      break;
    }
    case LayerKind::kMatMul: {
      if (in0.nbDims < 1) {
        error = layerRef(l) + ": input must have rank >= 1";
        return false;
      }
      const int64_t kdim = in0.d[in0.nbDims - 1];
      const bool dynamicOk = mode == ShapeMode::kSymbolic && kdim < 0;
      if (!dynamicOk && kdim != static_cast<int64_t>(l.k)) {
        error = layerRef(l) + ": input " + dimsToString(in0) + " has " + std::to_string(kdim) +
                " in its last dimension, the weights expect " + std::to_string(l.k);
        return false;
      }
      out.d[in0.nbDims - 1] = l.n;
      break;
    }
    case LayerKind::kConcat: {
      if (!sameRankInputs(l, shapes, error)) return false;
      if (l.axis < 0 || l.axis >= in0.nbDims) {
        error = layerRef(l) + ": axis " + std::to_string(l.axis) + " is outside rank " + std::to_string(in0.nbDims);
        return false;
      }
      int64_t sum = 0;
      for (int t : l.inputs) {
        const Dims64& s = shapes[t];
        for (int i = 0; i < in0.nbDims; ++i) {
          if (i == l.axis) continue;
          if (!mergeDim(out.d[i], s.d[i], mode, out.d[i])) {
            error = layerRef(l) + ": input shapes " + dimsToString(in0) + " and " + dimsToString(s) +
                    " differ outside the concatenation axis";
            return false;
          }
        }
        if (sum >= 0) sum = s.d[l.axis] < 0 ? -1 : sum + s.d[l.axis];
        if (sum > kMaxTensorBytes) {
          error = layerRef(l) + ": concatenated dimension is too large";
          return false;
        }
      }
      out.d[l.axis] = sum;
      break;
    }
    case LayerKind::kNonZero:
      // [rank, count]: the count is known only once the data is.
      out = makeDims(2);
      out.d[0] = in0.nbDims;
      out.d[1] = -1;
      break;
  }
  shapes[l.output] = out;
  return true;
}

bool inferShapes(const Plan& plan, std::vector<Dims64>& shapes, ShapeMode mode, std::string& error) {
  for (const LayerDesc& l : plan.layers)
    if (!inferLayerShape(l, shapes, mode, error)) return false;
  return true;
}

bool inferLayerType(const LayerDesc& l, const std::vector<TensorDesc>& tensors, DType requested, DType& out,
                    std::string& error) {
  const DType t0 = tensors[l.inputs[0]].dtype;
  for (int t : l.inputs) {
    if (l.kind != LayerKind::kCast && l.kind != LayerKind::kNonZero && tensors[t].dtype != t0) {
      error = layerRef(l) + ": inputs have different types (" + dtypeShortName(t0) + " and " +
              dtypeShortName(tensors[t].dtype) + ")";
      return false;
    }
  }
  out = t0;
  switch (l.kind) {
    case LayerKind::kAdd:
    case LayerKind::kMul:
    case LayerKind::kRelu:
      if (!isArithmetic(t0)) {
        error = layerRef(l) + ": type " + dtypeShortName(t0) + " is not supported";
        return false;
      }
      break;
    case LayerKind::kMatMul:
      if (t0 != DType::kFLOAT) {
        error = layerRef(l) + ": input must be f32, got " + dtypeShortName(t0);
        return false;
      }
      break;
    case LayerKind::kCast:
      out = requested;
      break;
    case LayerKind::kNonZero:
      // The plan names the indices' type (INonZeroLayer::setIndicesType): int32, TensorRT's default, or int64.
      if (requested != DType::kINT32 && requested != DType::kINT64) {
        error = layerRef(l) + ": NonZero indices must be i32 or i64, got " + dtypeShortName(requested);
        return false;
      }
      out = requested;
      break;
    default:
      break;
  }
  return true;
}

bool shapeInProfile(const Plan& plan, int profile, int ordinal, const Dims64& dims, std::string& error) {
  const ProfileDesc& p = plan.profiles[profile];
  const Dims64& mn = p.min[ordinal];
  const Dims64& mx = p.max[ordinal];
  if (dims.nbDims != mn.nbDims) {
    error = "rank " + std::to_string(dims.nbDims) + " does not match the engine's rank " + std::to_string(mn.nbDims);
    return false;
  }
  for (int i = 0; i < dims.nbDims; ++i) {
    if (dims.d[i] < mn.d[i] || dims.d[i] > mx.d[i]) {
      error = "dimension " + std::to_string(i) + " is " + std::to_string(dims.d[i]) + ", outside [" +
              std::to_string(mn.d[i]) + ", " + std::to_string(mx.d[i]) + "] of optimization profile " +
              std::to_string(profile) + " (min " + dimsToString(mn) + ", max " + dimsToString(mx) + ")";
      return false;
    }
  }
  return true;
}

}  // namespace emu
