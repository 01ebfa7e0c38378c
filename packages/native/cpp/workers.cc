#include "workers.h"

#include <optional>

#include "engine_wrap.h"
#include "errors.h"

namespace trtn {
namespace {

// An AsyncWorker that settles a promise and carries a typed Failure (not just
// a message) from the worker thread to the JS thread.
class PromiseWorker : public Napi::AsyncWorker {
 public:
  PromiseWorker(Napi::Env env, const char* name) : Napi::AsyncWorker(env, name), deferred_(Napi::Promise::Deferred::New(env)) {}
  Napi::Promise Promise() { return deferred_.Promise(); }

 protected:
  // Runs `body` on the worker thread; a Failure becomes the rejection.
  template <class F>
  void Capture(F&& body) {
    try {
      body();
    } catch (const Failure& f) {
      failure_.emplace(f);
      SetError(f.what());
    } catch (const UnsupportedMethod& m) {
      failure_.emplace(UnsupportedFailure(m.name, m.libraryVersion));
      SetError(failure_->what());
    } catch (const std::exception& e) {
      SetError(std::string("@trt/native: ") + e.what());
    }
  }
  void OnError(const Napi::Error& e) override {
    BeforeSettle();
    deferred_.Reject(failure_ ? failure_->ToJs(Env()).Value() : e.Value());
  }
  virtual void BeforeSettle() {}

  Napi::Promise::Deferred deferred_;
  std::optional<Failure> failure_;
};

class DeserializeWorker final : public PromiseWorker {
 public:
  DeserializeWorker(Napi::Env env, std::shared_ptr<RuntimeHandle> runtime, Napi::Value plan, const void* data,
                    size_t size)
      : PromiseWorker(env, "trt-native-deserialize"),
        runtime_(std::move(runtime)),
        plan_(Napi::Persistent(plan.As<Napi::Object>())),
        data_(data),
        size_(size),
        device_(runtime_->memory->CurrentDevice()) {}

  void Execute() override {
    Capture([&] {
      runtime_->memory->MakeCurrent(device_);  // TensorRT deserializes for the current device
      engine_ = DeserializeNow(runtime_, data_, size_);
    });
  }
  void OnOK() override {
    BeforeSettle();
    deferred_.Resolve(EngineWrap::Create(Env(), std::move(engine_)));
  }
  // Log lines of this deserialization reach the sink before the promise settles.
  void BeforeSettle() override {
    plan_.Reset();
    runtime_->logger().Drain(Env());
  }

 private:
  std::shared_ptr<RuntimeHandle> runtime_;
  Napi::ObjectReference plan_;
  const void* data_;
  size_t size_;
  int device_;
  std::shared_ptr<EngineHandle> engine_;
};

class SynchronizeWorker final : public PromiseWorker {
 public:
  SynchronizeWorker(Napi::Env env, std::shared_ptr<DeviceMemory> memory, void* stream, std::shared_ptr<void> keepAlive)
      : PromiseWorker(env, "trt-native-synchronize"),
        memory_(std::move(memory)),
        stream_(stream),
        device_(memory_->CurrentDevice()),
        keepAlive_(std::move(keepAlive)) {}

  void Execute() override {
    Capture([&] {
      // Stream 0 means the current device's default stream: make it the
      // caller's device on this pool thread too.
      memory_->MakeCurrent(device_);
      memory_->Synchronize(stream_);
    });
  }
  void OnOK() override { deferred_.Resolve(Env().Undefined()); }

 private:
  std::shared_ptr<DeviceMemory> memory_;
  void* stream_;
  int device_;
  std::shared_ptr<void> keepAlive_;  // released on the JS thread with the worker
};

}  // namespace

std::shared_ptr<EngineHandle> DeserializeNow(const std::shared_ptr<RuntimeHandle>& runtime, const void* data,
                                             size_t size) {
  const AbiTable& abi = runtime->abi();
  void* engine = nullptr;
  {
    std::lock_guard<std::mutex> lock(runtime->mu);
    const uint64_t mark = runtime->logger().Mark();
    engine = abi.Call(abi.runtime.deserializeCudaEngine, runtime->runtime, const_cast<void*>(data),
                      static_cast<uint64_t>(size));
    if (engine == nullptr) {
      // Every error of the call: the cause (a missing plugin creator, say) comes before the verdict.
      throw TensorRTFailure("IRuntime::deserializeCudaEngine", runtime->logger().ErrorSince(mark))
          .With("tensorrtMessages", runtime->logger().ErrorsSince(mark));
    }
  }
  // Owned from here on, so a failure while describing it still frees it.
  struct Guarded {
    const AbiTable& abi;
    void* engine;
    ~Guarded() {
      if (engine != nullptr) abi.Destroy(engine);
    }
  } guard{abi, engine};
  EngineDescription description = DescribeEngine(abi, engine);
  guard.engine = nullptr;
  return std::make_shared<EngineHandle>(runtime, engine, std::move(description));
}

Napi::Value StartDeserialize(Napi::Env env, std::shared_ptr<RuntimeHandle> runtime, Napi::Value plan,
                             const void* data, size_t size) {
  auto* worker = new DeserializeWorker(env, std::move(runtime), plan, data, size);
  Napi::Promise promise = worker->Promise();
  worker->Queue();
  return promise;
}

Napi::Value StartSynchronize(Napi::Env env, std::shared_ptr<DeviceMemory> memory, void* stream,
                             std::shared_ptr<void> keepAlive) {
  // Host mode has nothing to wait for: settle without a thread-pool hop.
  if (std::string(memory->Mode()) == "host") {
    Napi::Promise::Deferred d = Napi::Promise::Deferred::New(env);
    d.Resolve(env.Undefined());
    return d.Promise();
  }
  auto* worker = new SynchronizeWorker(env, std::move(memory), stream, std::move(keepAlive));
  Napi::Promise promise = worker->Promise();
  worker->Queue();
  return promise;
}

}  // namespace trtn
