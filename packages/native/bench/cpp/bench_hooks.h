// Benchmark hooks, compiled only into trt_native_bench.node (CMake option
// TRT_NATIVE_BENCH): the published addon has none of them.
#pragma once

#include <napi.h>

namespace trtn {

// Adds benchRawEnqueue to the module's exports (see raw_enqueue.cc).
void RegisterBenchHooks(Napi::Env env, Napi::Object exports);

}  // namespace trtn
