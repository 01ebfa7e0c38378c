#include "caller_abi.h"

namespace emu {

bool callerAbiForMajor(int major, CallerAbi& out) {
  if (major == 10) { out = callerAbiOf<trt_abi::V10>(); return true; }
  if (major == 11) { out = callerAbiOf<trt_abi::V11>(); return true; }
  return false;
}

void callReportLayerTime(const CallerAbi& abi, void* profiler, const char* layer, float ms) {
  slotOf<ReportLayerTimeFn>(profiler, abi.profilerReportLayerTime)(profiler, layer, ms);
}

void* callReallocateOutputAsync(const CallerAbi& abi, void* allocator, const char* name, void* current,
                                uint64_t size, uint64_t alignment, void* stream) {
  return slotOf<ReallocateOutputAsyncFn>(allocator, abi.allocatorReallocateAsync)(allocator, name, current, size,
                                                                                   alignment, stream);
}

void callNotifyShape(const CallerAbi& abi, void* allocator, const char* name, const Dims64& dims) {
  slotOf<NotifyShapeFn>(allocator, abi.allocatorNotifyShape)(allocator, name, &dims);
}

}  // namespace emu
