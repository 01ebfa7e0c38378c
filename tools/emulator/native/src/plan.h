// The emulator's engine description, as read from a plan file (format in
// tools/emulator/README.md, "Plan format"). A Plan is immutable once read; an
// engine shares it with its contexts.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "abi.h"
#include "dtype.h"

namespace emu {

constexpr char kPlanMagic[8] = {'T', 'R', 'T', 'E', 'M', 'U', 'P', 'L'};
constexpr uint32_t kPlanVersion = 1;
constexpr uint32_t kPlanHeaderSize = 32;
constexpr uint32_t kFlagRequiresHostCode = 1u << 0;

// Reader limits: generous for tests, small enough that no count in a hostile
// plan can make the reader allocate much before the bytes run out.
constexpr uint32_t kMaxNameLength = 1024;
constexpr uint32_t kMaxTensors = 4096;
constexpr uint32_t kMaxLayers = 4096;
constexpr uint32_t kMaxProfiles = 64;
constexpr uint32_t kMaxLayerInputs = 64;
constexpr uint32_t kMaxBusyWaitMicros = 10'000'000;
constexpr uint32_t kMaxPluginFieldLength = 256;  // plugin name, version, namespace

enum class TensorRole : uint32_t { kIntermediate = 0, kInput = 1, kOutput = 2 };

enum class LayerKind : uint32_t {
  kIdentity = 0,
  kAdd = 1,
  kMul = 2,
  kRelu = 3,
  kMatMul = 4,
  kCast = 5,
  kConcat = 6,
  kNonZero = 7,
  kBusyWait = 8,
  kPlugin = 9,
};
constexpr uint32_t kLayerKindCount = 10;

const char* layerKindName(LayerKind k);  // "Identity", "MatMul", ...

struct TensorDesc {
  std::string name;
  TensorRole role = TensorRole::kIntermediate;
  DType dtype = DType::kFLOAT;
  Dims64 dims{};               // as declared; -1 = dynamic or data-dependent
  bool dataDependent = false;  // produced by NonZero: shape known only after enqueue
  int inputOrdinal = -1;       // index among inputs, for profiles and shapes
};

struct LayerDesc {
  std::string name;
  LayerKind kind = LayerKind::kIdentity;
  std::vector<int> inputs;  // tensor indices
  int output = -1;          // tensor index (every layer has exactly one output)
  // MatMul: y[r, j] = sum_k x[r, k] * weights[k * n + j] (+ bias[j]).
  uint32_t k = 0, n = 0;
  std::vector<float> weights, bias;
  int32_t axis = 0;         // Concat
  uint32_t micros = 0;      // BusyWait
  // Plugin: the creator it needs (deserialization fails without it); the
  // emulator runs the layer itself, as a copy.
  std::string pluginName, pluginVersion, pluginNamespace;
};

struct ProfileDesc {
  // Indexed by input ordinal.
  std::vector<Dims64> min, opt, max;
};

struct Plan {
  uint32_t flags = 0;
  uint32_t requiredMajor = 0;  // 0: any major
  std::string name;
  int32_t profilingVerbosity = 0;
  uint64_t scratchBytes = 0;   // extra device memory the engine asks for
  int64_t streamableWeights = 0;
  std::vector<TensorDesc> tensors;
  std::vector<int> io;         // tensor indices of inputs and outputs, in table order
  std::vector<int> inputs;     // tensor indices of inputs, by ordinal
  std::vector<ProfileDesc> profiles;
  std::vector<LayerDesc> layers;
  std::vector<int> aliasOf;    // per tensor: aliased input tensor index, or -1
  std::vector<uint8_t> bytes;  // the serialized plan, for ICudaEngine::serialize
  bool hasNonZero = false;
  bool hasPlugins = false;

  bool requiresHostCode() const { return (flags & kFlagRequiresHostCode) != 0; }
  int findTensor(const char* name) const;  // -1 when absent (or name is null)
  int findIO(const char* name) const;      // like findTensor, inputs/outputs only
};

// Parses and validates `size` bytes. On failure returns null and says why in
// `error` (one sentence, no trailing period).
std::shared_ptr<const Plan> readPlan(const void* data, size_t size, std::string& error);

}  // namespace emu
