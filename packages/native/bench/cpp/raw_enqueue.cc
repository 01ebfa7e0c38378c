// benchRawEnqueue(context, iterations, { stream = 0, rebind = false })
//   -> { seconds, iterations, nsPerCall }
// The baseline for bench/overhead.mjs: enqueueV3 called in a C++ loop with the
// bindings execute() left in place (rebind: also setInputShape and
// setTensorAddress for every tensor before each enqueue, as a C++ caller that
// does not cache would). Only in the benchmark build of the addon.
#include <chrono>
#include <vector>

#include "../../cpp/context_wrap.h"
#include "../../cpp/errors.h"
#include "../../cpp/execution_context.h"
#include "../../cpp/js_args.h"
#include "bench_hooks.h"

namespace trtn {

double ExecutionContext::BenchRawEnqueue(int64_t iterations, void* stream, bool rebind) {
  // Snapshot the current bindings so the rebind loop passes exactly what the
  // addon would, then time only the TensorRT calls.
  std::vector<const char*> names;
  for (const auto& t : desc_.io) names.push_back(t.name.c_str());
  HookCall call(*this);
  const auto start = std::chrono::steady_clock::now();
  for (int64_t n = 0; n < iterations; ++n) {
    if (rebind) {
      for (size_t i = 0; i < desc_.inputs.size(); ++i) {
        abi_.Call(abi_.context.setInputShape, context_, names[desc_.inputs[i]], &shapes_[i]);
      }
      for (size_t i = 0; i < names.size(); ++i) {
        if (bound_[i]) abi_.Call(abi_.context.setTensorAddress, context_, names[i], addresses_[i]);
      }
    }
    if (!abi_.Call(abi_.context.enqueueV3, context_, stream)) {
      throw TensorRTFailure("IExecutionContext::enqueueV3", logger().ErrorSince(0));
    }
  }
  const auto end = std::chrono::steady_clock::now();
  hookErrors_.RethrowIfAny();
  return std::chrono::duration<double>(end - start).count();
}

namespace {

Napi::Value BenchRawEnqueue(const Napi::CallbackInfo& info) {
  return Guard(info.Env(), [&]() -> Napi::Value {
    ExecutionContext* context = ContextWrap::FromValue(info[0], "benchRawEnqueue: context");
    const uint64_t iterations = IndexArg(info[1], "benchRawEnqueue: iterations");
    void* stream = nullptr;
    bool rebind = false;
    if (info[2].IsObject()) {
      Napi::Object options = info[2].As<Napi::Object>();
      stream = PointerArg(options.Get("stream"), "benchRawEnqueue: stream", true);
      rebind = options.Get("rebind").ToBoolean().Value();
    }
    const double seconds = context->BenchRawEnqueue(static_cast<int64_t>(iterations), stream, rebind);
    context->memory()->Synchronize(stream);
    Napi::Object result = Napi::Object::New(info.Env());
    result.Set("seconds", seconds);
    result.Set("iterations", static_cast<double>(iterations));
    result.Set("nsPerCall", iterations > 0 ? seconds * 1e9 / static_cast<double>(iterations) : 0.0);
    return result;
  });
}

}  // namespace

void RegisterBenchHooks(Napi::Env env, Napi::Object exports) {
  exports.Set("benchRawEnqueue", Napi::Function::New(env, &BenchRawEnqueue, "benchRawEnqueue"));
}

}  // namespace trtn
