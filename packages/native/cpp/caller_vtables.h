// Objects that TensorRT calls back into: our ILogger, IProfiler and
// IOutputAllocator. TensorRT sees a C++ object (first word: vtable pointer)
// and calls slots by number, so each is a CallerObject whose vtable we fill
// with plain functions of the exact slot types from trt_abi.generated.h. The
// slot layout differs per major (11 made ILogger/IProfiler versioned), the
// functions behind the slots do not.
#pragma once

#include <cstdint>

#include "trt_abi.generated.h"

namespace trtn {

struct CallerObject {
  void* const* vtable;  // must stay the first member: TensorRT reads it as the vptr
  void* owner;          // the bridge that handles the calls
};

struct CallerVtables {
  void* const* logger;
  void* const* profiler;
  void* const* outputAllocator;
};

// Process-lifetime vtables for a supported major (10 or 11); nullptr otherwise.
const CallerVtables* CallerVtablesFor(int major);

// What the slots forward to. Each is implemented next to its bridge, never
// throws (TensorRT frames cannot unwind C++ exceptions we raise) and may be
// called on any thread.
void LoggerOnLog(void* owner, int32_t severity, const char* message) noexcept;
void ProfilerOnReport(void* owner, const char* layerName, float milliseconds) noexcept;
void* OutputAllocatorOnReallocate(void* owner, const char* tensorName, void* currentMemory, uint64_t size,
                                  uint64_t alignment, void* stream) noexcept;
void OutputAllocatorOnNotifyShape(void* owner, const char* tensorName, const trt_abi::Dims64* dims) noexcept;

}  // namespace trtn
