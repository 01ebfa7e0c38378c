// Where everything lives in the context's device memory ("scratch"). The
// emulator really uses it: intermediate tensors are placed here, NonZero
// counts are staged here, and the plan's extra scratch is written on every
// enqueue, so a runtime that hands over too little memory gets wrong results
// or a fault instead of silently passing.
//
// Layout, each block 256-byte aligned, in this order:
//   intermediates (tensor table order) | NonZero counts (8 bytes per layer) |
//   plan scratch (Plan::scratchBytes) | weight-streaming scratch
#pragma once

#include <cstdint>
#include <vector>

#include "plan.h"

namespace emu {

constexpr uint64_t kScratchAlignment = 256;

struct MemoryPlan {
  std::vector<uint64_t> tensorOffset;  // per tensor; kNotInScratch for inputs/outputs
  uint64_t countsOffset = 0;           // NonZero counts (int64 each, by layer index order)
  uint64_t scratchOffset = 0, scratchBytes = 0;
  uint64_t streamingOffset = 0, streamingBytes = 0;
  uint64_t total = 0;
  bool ok = false;                     // false when a shape is unknown or too large
  static constexpr uint64_t kNotInScratch = ~uint64_t{0};
};

// Lays out memory for concrete `shapes` (one per tensor).
MemoryPlan planMemory(const Plan& plan, const std::vector<Dims64>& shapes, uint64_t streamingScratch);

// Concrete shapes of every tensor when each input takes `select` of the
// profile (false only for a plan the reader would have refused).
bool profileShapes(const Plan& plan, int profile, bool useMax, std::vector<Dims64>& shapes);

}  // namespace emu
