// Our ILogger: one per loaded library (TensorRT keeps one logger for the
// whole library), alive for the process because TensorRT may log at any time,
// including while objects are destroyed at exit.
//
// Two jobs:
//  1. Error capture for thrown errors. Every message of severity error or
//     worse gets a sequence number and is kept per thread (and globally, for a
//     library that logs from an internal thread). A caller takes Mark() before
//     a TensorRT call and, if the call fails, ErrorSince(mark) is the message
//     that call produced, attached to the TensorRTError.
//  2. Routing to a JS sink. TensorRT logs from whatever thread it is on (the
//     JS thread, a deserialization worker, its own threads), so messages that
//     pass the severity filter go to a bounded queue and a ThreadSafeFunction
//     wakes the JS thread to drain it; nothing ever blocks on JS. Calls that
//     finish on the JS thread (a promise settling, an error being thrown)
//     Drain() first, so a call's log lines reach the sink before its result.
#pragma once

#include <napi.h>

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "abi_table.h"
#include "caller_vtables.h"

namespace trtn {

class Logger {
 public:
  // Severity values (ILogger::Severity, identical in 10 and 11).
  static constexpr int32_t kInternalError = abi_enum::kSeverityInternalError;
  static constexpr int32_t kError = abi_enum::kSeverityError;
  static constexpr int32_t kWarning = abi_enum::kSeverityWarning;
  static constexpr int32_t kVerbose = abi_enum::kSeverityVerbose;

  explicit Logger(void* const* vtable) : object_{vtable, this} {}
  Logger(const Logger&) = delete;
  Logger& operator=(const Logger&) = delete;

  // What createInferRuntime receives.
  void* TrtObject() { return &object_; }

  // From the ILogger::log slot; any thread.
  void OnLog(int32_t severity, const char* message) noexcept;

  uint64_t Mark() const { return errorSeq_.load(std::memory_order_acquire); }
  // The last error logged after `mark`, preferring this thread's; "" if none.
  std::string ErrorSince(uint64_t mark) const;
  // Every error logged after `mark` (the last kRecentErrors at most), oldest
  // first, from any thread: TensorRT may log a failure's cause before its
  // verdict (a missing plugin's name, then "deserialization failed").
  std::vector<std::string> ErrorsSince(uint64_t mark) const;

  // JS thread. `sink` null clears it.
  void SetSink(Napi::Env env, Napi::Function sink, int32_t minSeverity);
  // JS thread: delivers queued messages now. Cheap when nothing is queued.
  void Drain(Napi::Env env) {
    if (queued_.load(std::memory_order_acquire)) DrainSlow(env);
  }

  static const char* SeverityName(int32_t severity);
  // "warning" -> 2; -1 when unknown.
  static int32_t SeverityFromName(const std::string& name);

 private:
  struct Message {
    int32_t severity;
    std::string text;
  };
  static constexpr size_t kMaxQueued = 4096;
  static constexpr size_t kRecentErrors = 32;

  void DrainSlow(Napi::Env env);
  // `caller`: the env of the thread asking. A sink's JS reference may only be
  // deleted from its own env's thread; from another one it is left for that
  // env's teardown to collect.
  void ClearSinkLocked(napi_env caller);
  struct EnvHook {
    Logger* logger;
    napi_env env;
  };
  static void OnEnvCleanup(void* arg);

  CallerObject object_;

  // Error capture.
  std::atomic<uint64_t> errorSeq_{0};
  mutable std::mutex errorMu_;
  uint64_t lastErrorSeq_ = 0;
  std::string lastError_;
  std::deque<std::pair<uint64_t, std::string>> recentErrors_;

  // Sink routing. `mu_` guards everything below except the atomics. It is
  // recursive because releasing the TSFN may run its finalizer (which takes
  // mu_) synchronously on the same thread.
  std::atomic<int32_t> minSeverity_{-1};  // -1: no sink, queue nothing
  std::atomic<bool> queued_{false};
  std::recursive_mutex mu_;
  std::deque<Message> queue_;
  size_t dropped_ = 0;
  bool wakePending_ = false;
  napi_env sinkEnv_ = nullptr;
  // Used only on sinkEnv_'s thread. A pointer so that clearing it from
  // another env can drop it without deleting the reference (see ClearSinkLocked).
  std::unique_ptr<Napi::FunctionReference> sink_;
  Napi::ThreadSafeFunction wake_;   // valid while wakeAlive_
  bool wakeAlive_ = false;
  std::vector<EnvHook*> hookedEnvs_;  // one per env that ever set a sink; never freed (few)
};

}  // namespace trtn
