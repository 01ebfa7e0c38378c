// A context's device memory under TensorRT's three allocation strategies:
//   kSTATIC            allocated when the context is created, sized for the
//                      largest profile (getDeviceMemorySizeV2);
//   kON_PROFILE_CHANGE allocated at the first enqueue or profile switch, sized
//                      for the active profile, grown when a profile needs more;
//   kUSER_MANAGED      the caller's (setDeviceMemory / setDeviceMemoryV2),
//                      required before enqueue whenever the plan needs any.
#include <algorithm>
#include <cstdint>

#include "context.h"
#include "dims.h"
#include "mode.h"

namespace emu {

namespace {

// cudaMalloc returns 256-byte aligned memory and TensorRT asks for that; host
// mode only needs what its widest element (int64) needs.
uint64_t requiredAlignment() { return executionMode().mode == Mode::kCuda ? kScratchAlignment : 8; }

}  // namespace

bool Context::init() {
  if (strategy_ != AllocStrategy::kSTATIC) return true;
  return reallocateOwned(static_cast<uint64_t>(engine_->deviceMemorySize()), "ICudaEngine::createExecutionContext");
}

void Context::releaseOwned() {
  if (ownsMemory_ && memory_) backend_.release(memory_);
  if (ownsMemory_) {
    memory_ = nullptr;
    memorySize_ = 0;
  }
  ownsMemory_ = false;
}

bool Context::reallocateOwned(uint64_t bytes, const char* method) {
  releaseOwned();
  if (bytes == 0) return true;
  std::string error;
  void* p = backend_.allocate(bytes, error);
  if (!p) {
    log().error(std::string(method) + ": could not allocate " + std::to_string(bytes) + " bytes of device memory: " +
                error);
    return false;
  }
  memory_ = p;
  memorySize_ = static_cast<int64_t>(bytes);
  ownsMemory_ = true;
  return true;
}

void Context::setDeviceMemory(void* memory, int64_t size, const char* method) {
  if (strategy_ != AllocStrategy::kUSER_MANAGED) {
    log().error(std::string(method) +
                ": the context was not created with kUSER_MANAGED allocation; its device memory is managed by the "
                "engine, the call is ignored");
    return;
  }
  const uint64_t align = requiredAlignment();
  if (reinterpret_cast<uintptr_t>(memory) % align != 0) {
    log().error(std::string(method) + ": memory must be aligned to " + std::to_string(align) + " bytes");
    return;
  }
  memory_ = memory;
  memorySize_ = size;
  userMemorySet_ = true;
}

uint64_t Context::updateDeviceMemorySizeForShapes() {
  std::string error;
  if (!currentShapes(error)) {
    log().error("IExecutionContext::updateDeviceMemorySizeForShapes: " + error);
    return 0;
  }
  const MemoryPlan m = planMemory(engine_->plan(), shapes_, engine_->streamingScratch());
  return m.ok ? m.total : 0;
}

bool Context::ensureMemory(uint64_t required, const char* method) {
  switch (strategy_) {
    case AllocStrategy::kUSER_MANAGED:
      if (required == 0) return true;
      if (!userMemorySet_ || !memory_) {
        log().error(std::string(method) +
                    ": the context uses kUSER_MANAGED device memory and none was set; call setDeviceMemoryV2 with "
                    "at least " + std::to_string(required) + " bytes first");
        return false;
      }
      if (memorySize_ >= 0 && static_cast<uint64_t>(memorySize_) < required) {
        log().error(std::string(method) + ": the device memory set is " + std::to_string(memorySize_) +
                    " bytes, these shapes need " + std::to_string(required) +
                    " (updateDeviceMemorySizeForShapes)");
        return false;
      }
      return true;
    case AllocStrategy::kON_PROFILE_CHANGE:
      if (ownsMemory_ && static_cast<uint64_t>(memorySize_) >= required) return true;
      if (!ownsMemory_ && required == 0) return true;
      return reallocateOwned(std::max<uint64_t>(required, engine_->deviceMemorySizeForProfile(profile_)), method);
    case AllocStrategy::kSTATIC:
      if (required == 0 || (ownsMemory_ && static_cast<uint64_t>(memorySize_) >= required)) return true;
      return reallocateOwned(std::max<uint64_t>(required, engine_->deviceMemorySize()), method);
  }
  return false;
}

}  // namespace emu
