// Reads a plan in two passes: decode (bounded reads only, see ByteReader),
// then validate the decoded graph as a whole. Nothing is trusted until both
// pass; every failure becomes one sentence for the logger.
#include <cstring>
#include <unordered_set>

#include "byte_reader.h"
#include "crc32.h"
#include "dims.h"
#include "plan.h"
#include "shapes.h"

namespace emu {

const char* layerKindName(LayerKind k) {
  switch (k) {
    case LayerKind::kIdentity: return "Identity";
    case LayerKind::kAdd: return "Add";
    case LayerKind::kMul: return "Mul";
    case LayerKind::kRelu: return "Relu";
    case LayerKind::kMatMul: return "MatMul";
    case LayerKind::kCast: return "Cast";
    case LayerKind::kConcat: return "Concat";
    case LayerKind::kNonZero: return "NonZero";
    case LayerKind::kBusyWait: return "BusyWait";
    case LayerKind::kPlugin: return "PluginV3";
  }
  return "?";
}

int Plan::findTensor(const char* n) const {
  if (!n) return -1;
  for (size_t i = 0; i < tensors.size(); ++i)
    if (tensors[i].name == n) return static_cast<int>(i);
  return -1;
}

int Plan::findIO(const char* n) const {
  const int t = findTensor(n);
  return (t >= 0 && tensors[t].role != TensorRole::kIntermediate) ? t : -1;
}

namespace {

bool readDims(ByteReader& r, int32_t nb, Dims64& d, const char* what) {
  d = makeDims(nb);
  for (int i = 0; i < nb; ++i) d.d[i] = r.i64(what);
  return r.ok();
}

bool readTensors(ByteReader& r, Plan& p) {
  const uint32_t count = r.u32("tensor count");
  if (!r.ok()) return false;
  if (count == 0 || count > kMaxTensors)
    return r.fail("tensor count " + std::to_string(count) + " is outside 1.." + std::to_string(kMaxTensors));
  for (uint32_t i = 0; i < count && r.ok(); ++i) {
    TensorDesc t;
    t.name = r.name("tensor name", kMaxNameLength);
    const uint32_t role = r.u32("tensor role");
    const uint32_t dtype = r.u32("tensor dtype");
    const uint32_t nb = r.u32("tensor rank");
    if (!r.ok()) return false;
    if (role > 2) return r.fail("tensor '" + t.name + "' has unknown role " + std::to_string(role));
    if (!isSupportedDType(dtype))
      return r.fail("tensor '" + t.name + "' has unsupported data type " + std::to_string(dtype));
    if (nb > static_cast<uint32_t>(trt_abi::kMaxDims))
      return r.fail("tensor '" + t.name + "' has rank " + std::to_string(nb) + ", more than 8");
    t.role = static_cast<TensorRole>(role);
    t.dtype = static_cast<DType>(dtype);
    if (!readDims(r, static_cast<int32_t>(nb), t.dims, "tensor dims")) return false;
    for (int d = 0; d < t.dims.nbDims; ++d)
      if (t.dims.d[d] < -1 || t.dims.d[d] > kMaxTensorBytes)
        return r.fail("tensor '" + t.name + "' has invalid dimension " + std::to_string(t.dims.d[d]));
    p.tensors.push_back(std::move(t));
  }
  return r.ok();
}

bool readProfiles(ByteReader& r, Plan& p) {
  const uint32_t count = r.u32("profile count");
  if (!r.ok()) return false;
  if (count == 0 || count > kMaxProfiles)
    return r.fail("profile count " + std::to_string(count) + " is outside 1.." + std::to_string(kMaxProfiles));
  for (uint32_t i = 0; i < count && r.ok(); ++i) {
    ProfileDesc prof;
    for (int t : p.inputs) {
      const int32_t nb = p.tensors[t].dims.nbDims;
      Dims64 mn, op, mx;
      readDims(r, nb, mn, "profile min");
      readDims(r, nb, op, "profile opt");
      readDims(r, nb, mx, "profile max");
      prof.min.push_back(mn);
      prof.opt.push_back(op);
      prof.max.push_back(mx);
    }
    p.profiles.push_back(std::move(prof));
  }
  return r.ok();
}

// Exact parameter sizes per kind; MatMul's depends on its header.
bool readLayerParams(ByteReader& r, LayerDesc& l, uint32_t bytes) {
  const size_t start = r.offset();
  switch (l.kind) {
    case LayerKind::kMatMul: {
      l.k = r.u32("matmul k");
      l.n = r.u32("matmul n");
      const uint32_t hasBias = r.u32("matmul bias flag");
      if (!r.ok()) return false;
      if (l.k == 0 || l.n == 0 || uint64_t{l.k} * l.n > (uint64_t{1} << 26) || hasBias > 1)
        return r.fail("layer '" + l.name + "' has invalid matmul parameters (k " + std::to_string(l.k) + ", n " +
                      std::to_string(l.n) + ")");
      const uint64_t expect = 12 + 4 * (uint64_t{l.k} * l.n + (hasBias ? l.n : 0));
      if (bytes != expect)
        return r.fail("layer '" + l.name + "' has " + std::to_string(bytes) + " parameter bytes, expected " +
                      std::to_string(expect));
      // Bounds first: the vectors are sized only after the bytes are known to be there.
      if (r.remaining() < expect - 12) return r.fail("truncated plan while reading matmul weights");
      l.weights.resize(uint64_t{l.k} * l.n);
      r.bytes(l.weights.data(), l.weights.size() * 4, "matmul weights");
      if (hasBias) {
        l.bias.resize(l.n);
        r.bytes(l.bias.data(), l.bias.size() * 4, "matmul bias");
      }
      break;
    }
    case LayerKind::kConcat:
      if (bytes != 4) return r.fail("layer '" + l.name + "' (Concat) needs 4 parameter bytes");
      l.axis = r.i32("concat axis");
      break;
    case LayerKind::kBusyWait:
      if (bytes != 4) return r.fail("layer '" + l.name + "' (BusyWait) needs 4 parameter bytes");
      l.micros = r.u32("busy-wait microseconds");
      if (r.ok() && l.micros > kMaxBusyWaitMicros)
        return r.fail("layer '" + l.name + "' busy-waits " + std::to_string(l.micros) + " us, more than " +
                      std::to_string(kMaxBusyWaitMicros));
      break;
    case LayerKind::kPlugin:
      l.pluginName = r.name("plugin name", kMaxPluginFieldLength);
      l.pluginVersion = r.name("plugin version", kMaxPluginFieldLength);
      l.pluginNamespace = r.text("plugin namespace", 0, kMaxPluginFieldLength);
      if (r.ok() && r.offset() - start != bytes)
        return r.fail("layer '" + l.name + "' (plugin) has " + std::to_string(bytes) + " parameter bytes, its fields take " +
                      std::to_string(r.offset() - start));
      break;
    default:
      if (bytes != 0) return r.fail("layer '" + l.name + "' takes no parameters but has " + std::to_string(bytes));
      break;
  }
  return r.ok() && r.offset() - start == bytes;
}

bool readLayers(ByteReader& r, Plan& p) {
  const uint32_t count = r.u32("layer count");
  if (!r.ok()) return false;
  if (count == 0 || count > kMaxLayers)
    return r.fail("layer count " + std::to_string(count) + " is outside 1.." + std::to_string(kMaxLayers));
  const uint32_t nt = static_cast<uint32_t>(p.tensors.size());
  for (uint32_t i = 0; i < count && r.ok(); ++i) {
    LayerDesc l;
    l.name = r.name("layer name", kMaxNameLength);
    const uint32_t kind = r.u32("layer kind");
    const uint32_t nin = r.u32("layer input count");
    if (!r.ok()) return false;
    if (kind >= kLayerKindCount) return r.fail("layer '" + l.name + "' has unknown kind " + std::to_string(kind));
    l.kind = static_cast<LayerKind>(kind);
    if (nin == 0 || nin > kMaxLayerInputs)
      return r.fail("layer '" + l.name + "' has " + std::to_string(nin) + " inputs");
    for (uint32_t j = 0; j < nin; ++j) {
      const uint32_t t = r.u32("layer input");
      if (r.ok() && t >= nt) return r.fail("layer '" + l.name + "' names tensor " + std::to_string(t));
      l.inputs.push_back(static_cast<int>(t));
    }
    const uint32_t nout = r.u32("layer output count");
    if (r.ok() && nout != 1) return r.fail("layer '" + l.name + "' has " + std::to_string(nout) + " outputs, expected 1");
    const uint32_t out = r.u32("layer output");
    if (r.ok() && out >= nt) return r.fail("layer '" + l.name + "' names tensor " + std::to_string(out));
    l.output = static_cast<int>(out);
    const uint32_t pbytes = r.u32("layer parameter size");
    if (!r.ok() || !readLayerParams(r, l, pbytes)) return r.fail("bad parameters");
    p.layers.push_back(std::move(l));
  }
  return r.ok();
}

bool readAliases(ByteReader& r, Plan& p) {
  const uint32_t count = r.u32("alias count");
  if (!r.ok()) return false;
  if (count > p.tensors.size()) return r.fail("alias count " + std::to_string(count) + " exceeds the tensor count");
  p.aliasOf.assign(p.tensors.size(), -1);
  for (uint32_t i = 0; i < count && r.ok(); ++i) {
    const uint32_t out = r.u32("alias output");
    const uint32_t in = r.u32("alias input");
    if (!r.ok()) return false;
    if (out >= p.tensors.size() || in >= p.tensors.size()) return r.fail("alias names a tensor out of range");
    const TensorDesc& o = p.tensors[out];
    const TensorDesc& s = p.tensors[in];
    if (o.role != TensorRole::kOutput || s.role != TensorRole::kInput)
      return r.fail("alias must pair an output with an input ('" + o.name + "' -> '" + s.name + "')");
    if (p.aliasOf[out] >= 0) return r.fail("output '" + o.name + "' is aliased twice");
    if (o.dtype != s.dtype || !sameDims(o.dims, s.dims))
      return r.fail("aliased output '" + o.name + "' and input '" + s.name + "' differ in type or shape");
    p.aliasOf[out] = static_cast<int>(in);
  }
  return r.ok();
}

// Graph-level checks once everything is decoded.
bool validateGraph(Plan& p, std::string& error) {
  std::unordered_set<std::string> names;
  for (const TensorDesc& t : p.tensors) {
    if (!names.insert(t.name).second) { error = "tensor name '" + t.name + "' is used twice"; return false; }
  }
  std::unordered_set<std::string> layerNames;
  for (const LayerDesc& l : p.layers)
    if (!layerNames.insert(l.name).second) { error = "layer name '" + l.name + "' is used twice"; return false; }
  if (p.inputs.empty()) { error = "the plan has no inputs"; return false; }
  bool anyOutput = false;
  for (const TensorDesc& t : p.tensors) anyOutput = anyOutput || t.role == TensorRole::kOutput;
  if (!anyOutput) { error = "the plan has no outputs"; return false; }

  // Profiles: min <= opt <= max, static dims pinned.
  for (size_t pi = 0; pi < p.profiles.size(); ++pi) {
    const ProfileDesc& pr = p.profiles[pi];
    for (size_t o = 0; o < p.inputs.size(); ++o) {
      const TensorDesc& t = p.tensors[p.inputs[o]];
      for (int d = 0; d < t.dims.nbDims; ++d) {
        const int64_t mn = pr.min[o].d[d], op = pr.opt[o].d[d], mx = pr.max[o].d[d];
        const bool ordered = mn >= 0 && mn <= op && op <= mx && mx <= kMaxTensorBytes;
        const bool pinned = t.dims.d[d] < 0 || (mn == t.dims.d[d] && mx == t.dims.d[d]);
        if (!ordered || !pinned) {
          error = "optimization profile " + std::to_string(pi) + " for input '" + t.name + "' dimension " +
                  std::to_string(d) + " is invalid (min " + std::to_string(mn) + ", opt " + std::to_string(op) +
                  ", max " + std::to_string(mx) + ", declared " + std::to_string(t.dims.d[d]) + ")";
          return false;
        }
      }
      if (byteSize(pr.max[o], dtypeSize(t.dtype)) < 0) {
        error = "optimization profile " + std::to_string(pi) + " allows input '" + t.name + "' to be too large";
        return false;
      }
    }
  }

  // Topological order: each layer reads inputs or earlier outputs, writes a fresh tensor.
  std::vector<char> produced(p.tensors.size(), 0), consumed(p.tensors.size(), 0);
  for (int t : p.inputs) produced[t] = 1;
  for (const LayerDesc& l : p.layers) {
    for (int t : l.inputs) {
      if (!produced[t]) {
        error = "layer '" + l.name + "' reads tensor '" + p.tensors[t].name + "' before it is produced";
        return false;
      }
      if (p.tensors[t].dataDependent) {
        error = "layer '" + l.name + "' reads data-dependent tensor '" + p.tensors[t].name +
                "' (only network outputs may be data-dependent)";
        return false;
      }
      consumed[t] = 1;
    }
    const int arity = static_cast<int>(l.inputs.size());
    const bool arityOk = (l.kind == LayerKind::kAdd || l.kind == LayerKind::kMul) ? arity == 2
                         : l.kind == LayerKind::kConcat                           ? arity >= 1
                                                                                  : arity == 1;
    if (!arityOk) {
      error = "layer '" + l.name + "' (" + layerKindName(l.kind) + ") has " + std::to_string(arity) + " inputs";
      return false;
    }
    TensorDesc& out = p.tensors[l.output];
    if (produced[l.output]) {
      error = "tensor '" + out.name + "' is written twice (or is a network input)";
      return false;
    }
    produced[l.output] = 1;
    if (l.kind == LayerKind::kPlugin) p.hasPlugins = true;
    if (l.kind == LayerKind::kNonZero) {
      out.dataDependent = true;
      p.hasNonZero = true;
      if (out.role != TensorRole::kOutput) {
        error = "NonZero layer '" + l.name + "' must write a network output";
        return false;
      }
    }
  }
  for (size_t t = 0; t < p.tensors.size(); ++t) {
    if (!produced[t]) { error = "tensor '" + p.tensors[t].name + "' is never produced"; return false; }
  }

  // Types, then shapes, must match what the plan declares.
  for (const LayerDesc& l : p.layers) {
    DType dt;
    if (!inferLayerType(l, p.tensors, p.tensors[l.output].dtype, dt, error)) return false;
    if (dt != p.tensors[l.output].dtype) {
      error = "tensor '" + p.tensors[l.output].name + "' is declared " + dtypeShortName(p.tensors[l.output].dtype) +
              " but layer '" + l.name + "' produces " + dtypeShortName(dt);
      return false;
    }
  }
  std::vector<Dims64> shapes(p.tensors.size(), invalidDims());
  for (int t : p.inputs) shapes[t] = p.tensors[t].dims;
  if (!inferShapes(p, shapes, ShapeMode::kSymbolic, error)) return false;
  for (size_t t = 0; t < p.tensors.size(); ++t) {
    if (!sameDims(shapes[t], p.tensors[t].dims)) {
      error = "tensor '" + p.tensors[t].name + "' is declared " + dimsToString(p.tensors[t].dims) +
              " but its layer produces " + dimsToString(shapes[t]);
      return false;
    }
  }
  // Every profile's max shapes must themselves infer cleanly (a profile that
  // makes an add see mismatched dims would otherwise fail only at enqueue).
  for (size_t pi = 0; pi < p.profiles.size(); ++pi) {
    for (auto sel : {&ProfileDesc::min, &ProfileDesc::max}) {
      std::vector<Dims64> s(p.tensors.size(), invalidDims());
      for (size_t o = 0; o < p.inputs.size(); ++o) s[p.inputs[o]] = (p.profiles[pi].*sel)[o];
      std::string e;
      if (!inferShapes(p, s, ShapeMode::kConcrete, e)) {
        error = "optimization profile " + std::to_string(pi) + ": " + e;
        return false;
      }
      for (size_t t = 0; t < p.tensors.size(); ++t) {
        if (p.tensors[t].dataDependent) continue;
        if (byteSize(s[t], dtypeSize(p.tensors[t].dtype)) < 0) {
          error = "optimization profile " + std::to_string(pi) + " makes tensor '" + p.tensors[t].name + "' too large";
          return false;
        }
      }
    }
  }
  return true;
}

}  // namespace

std::shared_ptr<const Plan> readPlan(const void* data, size_t size, std::string& error) {
  if (!data && size > 0) { error = "the plan pointer is null"; return nullptr; }
  const auto* bytes = static_cast<const uint8_t*>(data);
  if (!data || size < kPlanHeaderSize + 4) {
    error = "the plan is " + std::to_string(size) + " bytes, shorter than the smallest valid plan";
    return nullptr;
  }
  if (std::memcmp(bytes, kPlanMagic, sizeof(kPlanMagic)) != 0) {
    error = "not an emulator plan (bad magic; expected \"TRTEMUPL\")";
    return nullptr;
  }
  ByteReader r(bytes, size);
  uint8_t magic[8];
  r.bytes(magic, 8, "magic");
  auto plan = std::make_shared<Plan>();
  const uint32_t version = r.u32("version");
  plan->flags = r.u32("flags");
  const uint64_t total = r.u64("total size");
  plan->requiredMajor = r.u32("required major");
  const uint32_t reserved = r.u32("reserved");
  if (version != kPlanVersion) {
    error = "plan format version " + std::to_string(version) + " is not supported (this emulator reads version " +
            std::to_string(kPlanVersion) + ")";
    return nullptr;
  }
  if (total != size) {
    error = "the plan header says " + std::to_string(total) + " bytes but " + std::to_string(size) +
            " were given (truncated or padded plan)";
    return nullptr;
  }
  const uint32_t stored = static_cast<uint32_t>(bytes[size - 4]) | static_cast<uint32_t>(bytes[size - 3]) << 8 |
                          static_cast<uint32_t>(bytes[size - 2]) << 16 | static_cast<uint32_t>(bytes[size - 1]) << 24;
  const uint32_t actual = crc32(bytes, size - 4);
  if (stored != actual) {
    error = "plan checksum mismatch (corrupted plan)";
    return nullptr;
  }
  if ((plan->flags & ~kFlagRequiresHostCode) != 0 || reserved != 0) {
    error = "the plan sets unknown flags";
    return nullptr;
  }
  if (plan->requiredMajor != 0 && plan->requiredMajor != 10 && plan->requiredMajor != 11) {
    error = "the plan requires unknown TensorRT major " + std::to_string(plan->requiredMajor);
    return nullptr;
  }

  // Body, bounded by the checksum trailer.
  ByteReader body(bytes + kPlanHeaderSize, size - kPlanHeaderSize - 4);
  plan->name = body.name("engine name", kMaxNameLength);
  plan->profilingVerbosity = body.i32("profiling verbosity");
  plan->scratchBytes = body.u64("scratch bytes");
  plan->streamableWeights = body.i64("streamable weight bytes");
  if (body.ok() && (plan->profilingVerbosity < 0 || plan->profilingVerbosity > 2))
    body.fail("profiling verbosity " + std::to_string(plan->profilingVerbosity) + " is unknown");
  if (body.ok() && plan->scratchBytes > static_cast<uint64_t>(kMaxTensorBytes)) body.fail("scratch size is too large");
  if (body.ok() && (plan->streamableWeights < 0 || plan->streamableWeights > kMaxTensorBytes))
    body.fail("streamable weight size is invalid");
  if (body.ok() && readTensors(body, *plan)) {
    for (size_t t = 0; t < plan->tensors.size(); ++t) {
      TensorDesc& td = plan->tensors[t];
      if (td.role == TensorRole::kIntermediate) continue;
      plan->io.push_back(static_cast<int>(t));
      if (td.role == TensorRole::kInput) {
        td.inputOrdinal = static_cast<int>(plan->inputs.size());
        plan->inputs.push_back(static_cast<int>(t));
      }
    }
  }
  if (body.ok()) readProfiles(body, *plan);
  if (body.ok()) readLayers(body, *plan);
  if (body.ok()) readAliases(body, *plan);
  if (body.ok() && body.remaining() != 0) body.fail(std::to_string(body.remaining()) + " unexpected bytes after the body");
  if (!body.ok()) {
    error = "malformed plan: " + body.error();
    return nullptr;
  }
  if (!validateGraph(*plan, error)) {
    error = "invalid plan: " + error;
    return nullptr;
  }
  plan->bytes.assign(bytes, bytes + size);
  return plan;
}

}  // namespace emu
