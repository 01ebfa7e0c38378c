// A JS exception thrown by a hook (profiler, output allocator) while TensorRT
// was calling it. It cannot propagate through TensorRT's frames, so the hook
// records it here and returns a failure value; the JS-facing call that made
// TensorRT run (execute, reportToProfiler) rethrows it once TensorRT returns.
// JS thread only.
#pragma once

#include <napi.h>

#include <memory>

namespace trtn {

class HookErrors {
 public:
  bool pending() const { return error_ != nullptr; }
  void Capture(const Napi::Error& e) {
    if (!error_) error_ = std::make_unique<Napi::Error>(e);  // the first one wins
  }
  void RethrowIfAny() {
    if (!error_) return;
    Napi::Error e = *error_;
    error_.reset();
    throw e;
  }
  void Clear() { error_.reset(); }

 private:
  std::unique_ptr<Napi::Error> error_;
};

}  // namespace trtn
