// Every vtable slot the emulator does not implement logs "not emulated" and
// returns 0 instead of crashing.
#include <set>

#include "caller.h"

using namespace t;

namespace {

template <class Cls>
std::set<int> emulatedSlots() {
  std::set<int> s;
  for (const trt_abi::SlotName& e : Cls::kSlots) s.insert(e.slot);
  return s;
}

// Calls every slot of `object` not in Cls::kSlots with only `this`.
template <class Cls, class Logger>
void checkStubs(void* wrapper, Logger& logger, const char* className) {
  void* impl = implOf(wrapper);
  void* const* vtable = *static_cast<void* const* const*>(impl);
  const std::set<int> emulated = emulatedSlots<Cls>();
  int stubs = 0;
  for (int slot = 0; slot < Cls::kVtableSize; ++slot) {
    if (emulated.count(slot)) continue;
    REQUIRE(vtable[slot] != nullptr);
    logger.clear();
    const auto fn = reinterpret_cast<int64_t (*)(void*)>(vtable[slot]);
    CHECK_EQ(fn(impl), int64_t{0});
    CHECK_LOGGED(logger, std::string("not emulated: ") + className + "::slot " + std::to_string(slot));
    ++stubs;
  }
  CHECK_EQ(stubs, Cls::kVtableSize - static_cast<int>(emulated.size()));
}

}  // namespace

TEST(stubs, every_unemulated_slot_logs_and_returns_zero) {
  Loaded<V> f("mlp3");
  REQUIRE(f.engine);
  Owned ctx(f.context());
  Owned inspector(call<ENG(createEngineInspector)>(f.engine.get()));
  Owned config(call<ENG(createRuntimeConfig)>(f.engine.get()));
  Owned memory(call<ENG(serialize)>(f.engine.get()));
  REQUIRE(ctx && inspector && config && memory);
  checkStubs<typename V::VRuntime>(f.runtime.get(), f.logger, "IRuntime");
  checkStubs<typename V::VCudaEngine>(f.engine.get(), f.logger, "ICudaEngine");
  checkStubs<typename V::VExecutionContext>(ctx.get(), f.logger, "IExecutionContext");
  checkStubs<typename V::VEngineInspector>(inspector.get(), f.logger, "IEngineInspector");
  checkStubs<typename V::VRuntimeConfig>(config.get(), f.logger, "IRuntimeConfig");
  checkStubs<typename V::VHostMemory>(memory.get(), f.logger, "IHostMemory");
}

TEST(stubs, a_dims_returning_stub_is_reached_through_the_hidden_pointer) {
  // For methods returning Dims64 the Impl arrives second (after the hidden
  // result pointer); the stub still finds the caller's logger.
  Loaded<V> f("mlp3");
  REQUIRE(f.engine);
  void* impl = implOf(f.engine.get());
  void* const* vtable = *static_cast<void* const* const*>(impl);
  const std::set<int> emulated = emulatedSlots<typename V::VCudaEngine>();
  int slot = 0;
  while (emulated.count(slot)) ++slot;
  Dims64 result{};
  const auto fn = reinterpret_cast<int64_t (*)(void*, void*)>(vtable[slot]);
  fn(&result, impl);
  CHECK_LOGGED(f.logger, "not emulated: ICudaEngine::slot " + std::to_string(slot));
}
