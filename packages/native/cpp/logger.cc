#include "logger.h"

#include <algorithm>

namespace trtn {
namespace {

struct ThreadError {
  uint64_t seq = 0;
  std::string text;
};
thread_local ThreadError tlsError;

}  // namespace

void LoggerOnLog(void* owner, int32_t severity, const char* message) noexcept {
  static_cast<Logger*>(owner)->OnLog(severity, message);
}

const char* Logger::SeverityName(int32_t severity) {
  if (severity == abi_enum::kSeverityInternalError) return "internal_error";
  if (severity == abi_enum::kSeverityError) return "error";
  if (severity == abi_enum::kSeverityWarning) return "warning";
  if (severity == abi_enum::kSeverityInfo) return "info";
  return "verbose";
}

int32_t Logger::SeverityFromName(const std::string& name) {
  for (int32_t s = 0; s <= kVerbose; ++s) {
    if (name == SeverityName(s)) return s;
  }
  return -1;
}

void Logger::OnLog(int32_t severity, const char* message) noexcept {
  try {
    const char* text = message != nullptr ? message : "";
    if (severity <= kError) {
      std::lock_guard<std::mutex> lock(errorMu_);
      uint64_t seq = errorSeq_.load(std::memory_order_relaxed) + 1;
      lastErrorSeq_ = seq;
      lastError_ = text;
      recentErrors_.emplace_back(seq, text);
      if (recentErrors_.size() > kRecentErrors) recentErrors_.pop_front();
      tlsError.seq = seq;
      tlsError.text = text;
      errorSeq_.store(seq, std::memory_order_release);
    }
    if (severity > minSeverity_.load(std::memory_order_acquire)) return;

    bool wake = false;
    {
      std::lock_guard<std::recursive_mutex> lock(mu_);
      if (sinkEnv_ == nullptr) return;
      if (queue_.size() >= kMaxQueued) {
        queue_.pop_front();
        ++dropped_;
      }
      queue_.push_back(Message{severity, text});
      queued_.store(true, std::memory_order_release);
      if (!wakePending_ && wakeAlive_) {
        wakePending_ = true;
        wake = true;
      }
      // Calling into the TSFN under mu_ keeps it from being finalized
      // concurrently (its finalizer takes mu_ too). NonBlockingCall never waits.
      if (wake) wake_.NonBlockingCall([this](Napi::Env env, Napi::Function) { Drain(env); });
    }
  } catch (...) {
    // Out of memory while logging: drop the message, never unwind into TensorRT.
  }
}

std::string Logger::ErrorSince(uint64_t mark) const {
  if (tlsError.seq > mark) return tlsError.text;
  std::lock_guard<std::mutex> lock(errorMu_);
  return lastErrorSeq_ > mark ? lastError_ : std::string();
}

std::vector<std::string> Logger::ErrorsSince(uint64_t mark) const {
  std::lock_guard<std::mutex> lock(errorMu_);
  std::vector<std::string> out;
  for (const auto& [seq, text] : recentErrors_) {
    if (seq > mark) out.push_back(text);
  }
  return out;
}

void Logger::SetSink(Napi::Env env, Napi::Function sink, int32_t minSeverity) {
  std::lock_guard<std::recursive_mutex> lock(mu_);
  ClearSinkLocked(env);
  if (sink.IsEmpty()) return;

  sinkEnv_ = env;
  sink_ = std::make_unique<Napi::FunctionReference>(Napi::Persistent(sink));
  // The TSFN only wakes the JS thread; the messages travel in queue_. It is
  // unref'd: a log sink must not keep the process alive.
  wake_ = Napi::ThreadSafeFunction::New(env, sink, "trt-native-log", 0, 1, this, [](Napi::Env, Logger* self) {
    std::lock_guard<std::recursive_mutex> lock(self->mu_);
    self->wakeAlive_ = false;
  });
  wake_.Unref(env);
  wakeAlive_ = true;
  minSeverity_.store(minSeverity, std::memory_order_release);

  // When this env goes away (worker thread exit, process exit), forget the
  // sink while its references can still be deleted.
  const bool hooked = std::any_of(hookedEnvs_.begin(), hookedEnvs_.end(),
                                  [&](const EnvHook* h) { return h->env == static_cast<napi_env>(env); });
  if (!hooked) {
    hookedEnvs_.push_back(new EnvHook{this, env});
    napi_add_env_cleanup_hook(env, &Logger::OnEnvCleanup, hookedEnvs_.back());
  }
}

void Logger::ClearSinkLocked(napi_env caller) {
  minSeverity_.store(-1, std::memory_order_release);
  if (wakeAlive_) {
    wake_.Release();
    wakeAlive_ = false;
  }
  if (sink_) {
    if (caller == sinkEnv_) {
      sink_.reset();
    } else {
      (void)sink_.release();  // another env's reference: that env's teardown frees it
    }
  }
  sinkEnv_ = nullptr;
  queue_.clear();
  queued_.store(false, std::memory_order_release);
  wakePending_ = false;
  dropped_ = 0;
}

void Logger::OnEnvCleanup(void* arg) {
  // This env is going away (a worker thread ending, or the process): forget
  // its sink while its references can still be deleted.
  auto* hook = static_cast<EnvHook*>(arg);
  Logger* self = hook->logger;
  std::lock_guard<std::recursive_mutex> lock(self->mu_);
  if (self->sinkEnv_ == hook->env) self->ClearSinkLocked(hook->env);
  self->hookedEnvs_.erase(std::find(self->hookedEnvs_.begin(), self->hookedEnvs_.end(), hook));
  delete hook;
}

void Logger::DrainSlow(Napi::Env env) {
  Napi::HandleScope scope(env);
  std::deque<Message> batch;
  size_t dropped = 0;
  Napi::Function fn;
  {
    std::lock_guard<std::recursive_mutex> lock(mu_);
    if (sinkEnv_ != static_cast<napi_env>(env) || !sink_) return;
    fn = sink_->Value();
    batch.swap(queue_);
    dropped = dropped_;
    dropped_ = 0;
    wakePending_ = false;
    queued_.store(false, std::memory_order_release);
  }
  // Outside mu_: the sink may log, replace itself, or call TensorRT.
  auto deliver = [&](int32_t severity, const std::string& text) {
    try {
      fn.Call({Napi::String::New(env, SeverityName(severity)), Napi::String::New(env, text)});
    } catch (const Napi::Error& e) {
      // A throwing sink must not turn a successful call into a failed one:
      // it becomes a process warning and delivery goes on.
      try {
        Napi::Object process = env.Global().Get("process").As<Napi::Object>();
        Napi::Value emit = process.Get("emitWarning");
        if (emit.IsFunction()) {
          emit.As<Napi::Function>().Call(
              process, {Napi::String::New(env, std::string("@trt/native log sink threw: ") + e.Message())});
        }
      } catch (const Napi::Error&) {
      }
    }
  };
  if (dropped > 0) {
    deliver(kWarning, "@trt/native: " + std::to_string(dropped) +
                          " TensorRT log messages were dropped because the JS thread did not drain them in time");
  }
  for (const auto& m : batch) deliver(m.severity, m.text);
}

}  // namespace trtn
