// Everything about an engine that never changes: read once, right after
// deserialization (on the worker thread), so the hot path and `info` never ask
// TensorRT again. Names are kept as std::string for the life of the engine:
// TensorRT's per-tensor calls take `const char*` names, and the execute loop
// passes these by index, never building or hashing strings.
#pragma once

#include <napi.h>

#include <array>
#include <string>
#include <vector>

#include "abi_table.h"

namespace trtn {

struct TensorDescription {
  std::string name;
  bool isInput = false;
  int32_t dtype = 0;     // DataType
  Dims64 shape{};        // -1 for dynamic dims
  int32_t location = 0;  // TensorLocation
  std::string format;    // getTensorFormatDesc
  std::vector<std::array<Dims64, 3>> profiles;  // inputs: min/opt/max per profile
  bool hasAlias = false;
  std::string aliasedInput;
};

struct EngineDescription {
  std::string name;
  int32_t layerCount = 0;
  int32_t profileCount = 0;
  std::vector<TensorDescription> io;  // TensorRT's I/O index order
  std::vector<int> inputs;            // io indices of inputs, in io order
  std::vector<int> outputs;           // io indices of outputs, in io order
  int64_t deviceMemoryBytes = 0;
  int64_t streamableWeightsBytes = 0;
  int32_t hardwareCompatibilityLevel = 0;
};

// Reads the description through the ABI table. Any thread.
EngineDescription DescribeEngine(const AbiTable& abi, void* engine);

// The EngineInfo object of the engine contract (frozen, deeply). JS thread.
Napi::Object EngineInfoToJs(Napi::Env env, const EngineDescription& d);

// Dims as a JS number array.
Napi::Array DimsToJs(Napi::Env env, const Dims64& dims);

// "float", "half", ... (DataType, lower-cased without the k).
const char* DataTypeName(int32_t dtype);

}  // namespace trtn
