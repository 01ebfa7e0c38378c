// Work that blocks (deserializing a plan, waiting for a stream) runs on
// libuv's thread pool and settles a promise on the JS thread, so the event
// loop never waits on TensorRT or the GPU.
#pragma once

#include <napi.h>

#include <cstddef>
#include <memory>

#include "handles.h"
#include "memory.h"

namespace trtn {

// deserialize(plan) -> Promise<Engine>. `plan` is kept referenced (not
// copied: plans run to hundreds of MB) until the worker is done; it must not
// be transferred or detached meanwhile.
Napi::Value StartDeserialize(Napi::Env env, std::shared_ptr<RuntimeHandle> runtime, Napi::Value plan,
                             const void* data, size_t size);

// Deserializes on the calling thread; returns the engine handle.
std::shared_ptr<EngineHandle> DeserializeNow(const std::shared_ptr<RuntimeHandle>& runtime, const void* data,
                                             size_t size);

// Promise<void> settled when `stream` has finished. `keepAlive` (may be null)
// is held until then: an execution context whose work is in flight.
Napi::Value StartSynchronize(Napi::Env env, std::shared_ptr<DeviceMemory> memory, void* stream,
                             std::shared_ptr<void> keepAlive);

}  // namespace trtn
