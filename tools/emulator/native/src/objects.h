// The memory layout TensorRT hands to callers, reproduced:
//
//   caller's pointer ──> Wrapper { vptr ──> [complete dtor, deleting dtor]
//                                  impl ──┐ }                    (offset 8)
//                        Impl    { vptr ──> [kVtableSize slots]  <─┘
//                                  owner }
//
// Methods are called on the Impl with the Impl as `this`; the caller frees an
// object by calling slot 1 of the Wrapper's vtable. Each Object<Core> holds
// both halves plus the major-independent core (Engine, Context, ...).
#pragma once

#include <cstddef>
#include <memory>

#include "abi.h"
#include "logger.h"

namespace emu {

enum class ObjectKind { kRuntime, kEngine, kContext, kInspector, kRuntimeConfig, kHostMemory };

struct Impl {
  const void* const* vptr;
  void* owner;  // the Object<Core> this Impl belongs to
};

struct Wrapper {
  const void* const* vptr;
  Impl* impl;
};
static_assert(offsetof(Wrapper, impl) == trt_abi::V10::kImplPointerOffset, "wrapper layout (V10)");
static_assert(offsetof(Wrapper, impl) == trt_abi::V11::kImplPointerOffset, "wrapper layout (V11)");
static_assert(offsetof(Impl, vptr) == 0, "impl layout");

// Live-object registry. It lets the library check pointers the caller passes
// in (an IRuntimeConfig*, an IExecutionContext*) without dereferencing
// garbage, and lets a "not emulated" stub find the logger of the object it
// was called on.
void registerObject(Wrapper* wrapper, ObjectKind kind, const Logger& logger);
void unregisterObject(Wrapper* wrapper);
bool loggerOfImpl(const void* impl, Logger& out);
bool isLiveWrapper(const void* wrapper, ObjectKind kind);

template <class Core>
struct Object {
  Wrapper wrapper{};
  Impl impl{};
  ObjectKind kind{};
  std::shared_ptr<Core> core;
  Wrapper* child = nullptr;            // an object owned by this one (a context's IRuntimeConfig)
  void (*destroyChild)(Wrapper*) = nullptr;
};

template <class Core>
Object<Core>* objectOfImpl(void* impl) {
  return static_cast<Object<Core>*>(static_cast<Impl*>(impl)->owner);
}

template <class Core>
Core& coreOf(void* impl) {
  return *objectOfImpl<Core>(impl)->core;
}

template <class Core>
Object<Core>* objectOfWrapper(void* wrapper) {
  return static_cast<Object<Core>*>(static_cast<Wrapper*>(wrapper)->impl->owner);
}

template <class Core>
void destroyObject(Object<Core>* o, bool freeMemory) {
  unregisterObject(&o->wrapper);
  if (o->child) o->destroyChild(o->child);
  o->child = nullptr;
  o->core.reset();
  if (freeMemory) delete o;
}

// Wrapper vtable slots 0 and 1 (complete and deleting destructor). The
// complete destructor ends the object's life but leaves its storage, as a
// C++ complete-object destructor does; callers use slot 1.
template <class Core>
void wrapperCompleteDtor(void* self) {
  destroyObject(objectOfWrapper<Core>(self), false);
}
template <class Core>
void wrapperDeletingDtor(void* self) {
  destroyObject(objectOfWrapper<Core>(self), true);
}

template <class Core>
const void* const* wrapperVtable() {
  static const void* const table[2] = {reinterpret_cast<const void*>(&wrapperCompleteDtor<Core>),
                                       reinterpret_cast<const void*>(&wrapperDeletingDtor<Core>)};
  static_assert(trt_abi::V10::kDeletingDestructorSlot == 1 && trt_abi::V11::kDeletingDestructorSlot == 1,
                "wrapper destructor slot");
  return table;
}

// Builds the caller-visible object around `core`.
template <class Core>
Wrapper* makeObject(std::shared_ptr<Core> core, ObjectKind kind, const void* const* implVtable,
                    const Logger& logger) {
  auto* o = new Object<Core>();
  o->kind = kind;
  o->core = std::move(core);
  o->impl.vptr = implVtable;
  o->impl.owner = o;
  o->wrapper.vptr = wrapperVtable<Core>();
  o->wrapper.impl = &o->impl;
  registerObject(&o->wrapper, kind, logger);
  return &o->wrapper;
}

}  // namespace emu
