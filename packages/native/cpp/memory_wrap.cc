#include "memory_wrap.h"

#include "addon_data.h"
#include "receiver.h"
#include "js_args.h"
#include "workers.h"

namespace trtn {
namespace {

Napi::Value Address(Napi::Env env, void* p) {
  return Napi::Number::New(env, static_cast<double>(reinterpret_cast<uintptr_t>(p)));
}

}  // namespace

Napi::Function MemoryWrap::Define(Napi::Env env) {
  return DefineClass(env, "Memory",
                     {
                         InstanceAccessor<&MemoryWrap::Mode>("mode"),
                         InstanceMethod<&MemoryWrap::Alloc>("alloc"),
                         InstanceMethod<&MemoryWrap::Free>("free"),
                         InstanceMethod<&MemoryWrap::CopyHostToDevice>("copyHostToDevice"),
                         InstanceMethod<&MemoryWrap::CopyDeviceToHost>("copyDeviceToHost"),
                         InstanceMethod<&MemoryWrap::CopyDeviceToDevice>("copyDeviceToDevice"),
                         InstanceMethod<&MemoryWrap::CreateStream>("createStream"),
                         InstanceMethod<&MemoryWrap::DestroyStream>("destroyStream"),
                         InstanceMethod<&MemoryWrap::Synchronize>("synchronize"),
                         InstanceMethod<&MemoryWrap::SynchronizeSync>("synchronizeSync"),
                     });
}

Napi::Object MemoryWrap::Create(Napi::Env env, std::shared_ptr<DeviceMemory> memory) {
  Napi::Object obj;
  {
    InternalConstruction internal;
    obj = Data(env).memoryClass.New({});
  }
  obj.TypeTag(&kMemoryTag);
  Unwrap(obj)->memory_ = std::move(memory);
  return obj;
}

MemoryWrap::MemoryWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<MemoryWrap>(info) {
  if (!InternalConstruction::active()) {
    throw Napi::TypeError::New(info.Env(), "Memory objects come from backend.memory");
  }
}

Napi::Value MemoryWrap::Mode(const Napi::CallbackInfo& info) {
  RequireReceiver(info, kMemoryTag, "Memory");
  return Napi::String::New(info.Env(), memory_->Mode());
}

// alloc(bytes, stream = 0) -> address
Napi::Value MemoryWrap::Alloc(const Napi::CallbackInfo& info) {
  RequireReceiver(info, kMemoryTag, "Memory");
  return Guard(info.Env(), [&]() -> Napi::Value {
    const uint64_t bytes = IndexArg(info[0], "alloc: bytes");
    return Address(info.Env(), memory_->Alloc(bytes, PointerArg(info[1], "alloc: stream", true)));
  });
}

// free(address, stream = 0)
Napi::Value MemoryWrap::Free(const Napi::CallbackInfo& info) {
  RequireReceiver(info, kMemoryTag, "Memory");
  return Guard(info.Env(), [&]() -> Napi::Value {
    memory_->Free(PointerArg(info[0], "free: address", false), PointerArg(info[1], "free: stream", true));
    return info.Env().Undefined();
  });
}

// copyHostToDevice(dst, srcView, stream = 0). JS memory is pageable, so the
// copy has read `src` by the time this returns (CUDA stages pageable copies).
Napi::Value MemoryWrap::CopyHostToDevice(const Napi::CallbackInfo& info) {
  RequireReceiver(info, kMemoryTag, "Memory");
  return Guard(info.Env(), [&]() -> Napi::Value {
    void* dst = PointerArg(info[0], "copyHostToDevice: dst", false);
    ByteView src = BytesArg(info[1], "copyHostToDevice: src");
    memory_->Copy(dst, src.data, src.size, CopyKind::kHostToDevice, PointerArg(info[2], "copyHostToDevice: stream", true));
    return info.Env().Undefined();
  });
}

// copyDeviceToHost(dstView, src, stream = 0). Copies dstView.byteLength bytes;
// into pageable memory CUDA completes the copy before returning.
Napi::Value MemoryWrap::CopyDeviceToHost(const Napi::CallbackInfo& info) {
  RequireReceiver(info, kMemoryTag, "Memory");
  return Guard(info.Env(), [&]() -> Napi::Value {
    ByteView dst = BytesArg(info[0], "copyDeviceToHost: dst");
    void* src = PointerArg(info[1], "copyDeviceToHost: src", false);
    memory_->Copy(dst.data, src, dst.size, CopyKind::kDeviceToHost, PointerArg(info[2], "copyDeviceToHost: stream", true));
    return info.Env().Undefined();
  });
}

// copyDeviceToDevice(dst, src, bytes, stream = 0)
Napi::Value MemoryWrap::CopyDeviceToDevice(const Napi::CallbackInfo& info) {
  RequireReceiver(info, kMemoryTag, "Memory");
  return Guard(info.Env(), [&]() -> Napi::Value {
    void* dst = PointerArg(info[0], "copyDeviceToDevice: dst", false);
    void* src = PointerArg(info[1], "copyDeviceToDevice: src", false);
    const uint64_t bytes = IndexArg(info[2], "copyDeviceToDevice: bytes");
    memory_->Copy(dst, src, bytes, CopyKind::kDeviceToDevice, PointerArg(info[3], "copyDeviceToDevice: stream", true));
    return info.Env().Undefined();
  });
}

Napi::Value MemoryWrap::CreateStream(const Napi::CallbackInfo& info) {
  RequireReceiver(info, kMemoryTag, "Memory");
  return Guard(info.Env(), [&]() -> Napi::Value { return Address(info.Env(), memory_->CreateStream()); });
}

Napi::Value MemoryWrap::DestroyStream(const Napi::CallbackInfo& info) {
  RequireReceiver(info, kMemoryTag, "Memory");
  return Guard(info.Env(), [&]() -> Napi::Value {
    memory_->DestroyStream(PointerArg(info[0], "destroyStream: stream", false));
    return info.Env().Undefined();
  });
}

// synchronize(stream = 0) -> Promise<void>, waiting on a worker thread.
Napi::Value MemoryWrap::Synchronize(const Napi::CallbackInfo& info) {
  RequireReceiver(info, kMemoryTag, "Memory");
  return GuardAsync(info.Env(), [&]() -> Napi::Value {
    void* stream = PointerArg(info[0], "synchronize: stream", true);
    return StartSynchronize(info.Env(), memory_, stream, nullptr);
  });
}

Napi::Value MemoryWrap::SynchronizeSync(const Napi::CallbackInfo& info) {
  RequireReceiver(info, kMemoryTag, "Memory");
  return Guard(info.Env(), [&]() -> Napi::Value {
    memory_->Synchronize(PointerArg(info[0], "synchronizeSync: stream", true));
    return info.Env().Undefined();
  });
}

}  // namespace trtn
