// Small helpers over TensorRT's Dims64 (the emulator's one shape type).
// -1 in a dimension means "not known yet" (dynamic, or data-dependent).
#pragma once

#include <cstdint>
#include <string>

#include "abi.h"

namespace emu {

// Largest byte size the emulator accepts for one tensor (1 TiB): keeps every
// size computation far from int64 overflow whatever a plan or caller says.
constexpr int64_t kMaxTensorBytes = int64_t{1} << 40;

Dims64 makeDims(int32_t nb);           // nbDims = nb, all dims 0
Dims64 invalidDims();                  // nbDims = -1, TensorRT's "no answer"
bool sameDims(const Dims64& a, const Dims64& b);
bool fullySpecified(const Dims64& d);  // no -1 anywhere (and nbDims >= 0)

// Element count, or -1 when a dim is unknown or the count exceeds the limit.
int64_t volume(const Dims64& d);

// Byte size for `elementSize`-byte elements, or -1 (unknown / too large).
int64_t byteSize(const Dims64& d, int elementSize);

// "[2,3,-1]".
std::string dimsToString(const Dims64& d);

// Row-major strides of `d` in elements; a stride that depends on an unknown
// dim is -1.
Dims64 rowMajorStrides(const Dims64& d);

constexpr uint64_t alignUp(uint64_t v, uint64_t a) { return (v + a - 1) / a * a; }

}  // namespace emu
