// Calls into objects the caller implements (ILogger, IProfiler,
// IOutputAllocator). Their slot numbers differ between majors (TensorRT 11
// made ILogger and IProfiler versioned interfaces), so the slots travel as a
// small value chosen once from the ABI table of the caller's major.
#pragma once

#include <cstdint>
#include <type_traits>

#include "abi.h"

namespace emu {

struct CallerAbi {
  int major = 0;
  int loggerLog = -1;
  int profilerReportLayerTime = -1;
  int allocatorReallocateAsync = -1;
  int allocatorNotifyShape = -1;
};

template <class V>
constexpr CallerAbi callerAbiOf() {
  return CallerAbi{V::kMajor, V::ILogger::log::slot, V::IProfiler::reportLayerTime::slot,
                   V::IOutputAllocator::reallocateOutputAsync::slot, V::IOutputAllocator::notifyShape::slot};
}

// The table for `major` when this library knows it (10 or 11), so a caller
// speaking the other major still gets its error message through its logger.
bool callerAbiForMajor(int major, CallerAbi& out);

// Function types of the caller's slots. They are the same in every major
// (only the slot numbers move); the asserts keep that honest.
using LogFn = trt_abi::V10::ILogger::log::Fn;
using ReportLayerTimeFn = trt_abi::V10::IProfiler::reportLayerTime::Fn;
using ReallocateOutputAsyncFn = trt_abi::V10::IOutputAllocator::reallocateOutputAsync::Fn;
using NotifyShapeFn = trt_abi::V10::IOutputAllocator::notifyShape::Fn;
static_assert(std::is_same<LogFn, trt_abi::V11::ILogger::log::Fn>::value, "ILogger::log signature");
static_assert(std::is_same<ReportLayerTimeFn, trt_abi::V11::IProfiler::reportLayerTime::Fn>::value, "IProfiler");
static_assert(std::is_same<ReallocateOutputAsyncFn, trt_abi::V11::IOutputAllocator::reallocateOutputAsync::Fn>::value,
              "IOutputAllocator::reallocateOutputAsync signature");
static_assert(std::is_same<NotifyShapeFn, trt_abi::V11::IOutputAllocator::notifyShape::Fn>::value,
              "IOutputAllocator::notifyShape signature");

// Reads slot `slot` of the vtable of the C++ object at `object`.
template <class Fn>
Fn slotOf(void* object, int slot) {
  void* const* vtable = *static_cast<void* const* const*>(object);
  return reinterpret_cast<Fn>(vtable[slot]);
}

void callReportLayerTime(const CallerAbi& abi, void* profiler, const char* layer, float ms);
void* callReallocateOutputAsync(const CallerAbi& abi, void* allocator, const char* name, void* current,
                                uint64_t size, uint64_t alignment, void* stream);
void callNotifyShape(const CallerAbi& abi, void* allocator, const char* name, const Dims64& dims);

}  // namespace emu
