// Owners of the TensorRT objects. Each holds a shared_ptr to what it was made
// from, so destruction order is always the one TensorRT requires (contexts,
// then engines, then the runtime) whatever order JS releases or collects the
// wrappers in, and each object is destroyed exactly once: by whichever owner
// (JS wrapper, in-flight worker) lets go last. The library itself is never
// unloaded.
#pragma once

#include <memory>
#include <mutex>

#include "engine_description.h"
#include "library.h"
#include "memory.h"

namespace trtn {

class RuntimeHandle {
 public:
  RuntimeHandle(Library* library, void* runtime, std::shared_ptr<DeviceMemory> memory)
      : library(library), runtime(runtime), memory(std::move(memory)) {}
  ~RuntimeHandle() { library->abi->Destroy(runtime); }
  RuntimeHandle(const RuntimeHandle&) = delete;
  RuntimeHandle& operator=(const RuntimeHandle&) = delete;

  const AbiTable& abi() const { return *library->abi; }
  Logger& logger() const { return *library->logger; }

  Library* const library;
  void* const runtime;
  const std::shared_ptr<DeviceMemory> memory;
  // IRuntime is not documented as safe for concurrent calls; deserializations
  // from several workers take turns.
  std::mutex mu;
};

class EngineHandle {
 public:
  EngineHandle(std::shared_ptr<RuntimeHandle> runtime, void* engine, EngineDescription description)
      : runtime(std::move(runtime)), engine(engine), description(std::move(description)) {}
  ~EngineHandle() { runtime->abi().Destroy(engine); }
  EngineHandle(const EngineHandle&) = delete;
  EngineHandle& operator=(const EngineHandle&) = delete;

  const AbiTable& abi() const { return runtime->abi(); }
  Logger& logger() const { return runtime->logger(); }

  const std::shared_ptr<RuntimeHandle> runtime;
  void* const engine;
  const EngineDescription description;
};

}  // namespace trtn
