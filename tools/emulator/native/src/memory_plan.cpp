#include "memory_plan.h"

#include <string>

#include "dims.h"
#include "shapes.h"

namespace emu {

MemoryPlan planMemory(const Plan& plan, const std::vector<Dims64>& shapes, uint64_t streamingScratch) {
  MemoryPlan m;
  m.tensorOffset.assign(plan.tensors.size(), MemoryPlan::kNotInScratch);
  uint64_t off = 0;
  for (size_t t = 0; t < plan.tensors.size(); ++t) {
    const TensorDesc& td = plan.tensors[t];
    if (td.role != TensorRole::kIntermediate) continue;
    const int64_t bytes = byteSize(shapes[t], dtypeSize(td.dtype));
    if (bytes < 0) return m;
    off = alignUp(off, kScratchAlignment);
    m.tensorOffset[t] = off;
    off += static_cast<uint64_t>(bytes);
  }
  off = alignUp(off, kScratchAlignment);
  m.countsOffset = off;
  if (plan.hasNonZero) off += 8 * plan.layers.size();
  off = alignUp(off, kScratchAlignment);
  m.scratchOffset = off;
  m.scratchBytes = plan.scratchBytes;
  off += plan.scratchBytes;
  off = alignUp(off, kScratchAlignment);
  m.streamingOffset = off;
  m.streamingBytes = streamingScratch;
  off += streamingScratch;
  m.total = alignUp(off, kScratchAlignment);
  m.ok = true;
  return m;
}

bool profileShapes(const Plan& plan, int profile, bool useMax, std::vector<Dims64>& shapes) {
  shapes.assign(plan.tensors.size(), invalidDims());
  const ProfileDesc& p = plan.profiles[profile];
  for (size_t o = 0; o < plan.inputs.size(); ++o) shapes[plan.inputs[o]] = useMax ? p.max[o] : p.opt[o];
  std::string error;
  return inferShapes(plan, shapes, ShapeMode::kConcrete, error);
}

}  // namespace emu
