// Every vtable slot the emulator does not implement still gets a function: it
// logs "not emulated: <Class>::slot N" through the caller's logger and returns
// 0 (false / nullptr / 0). A caller that strays off the emulated subset sees a
// clear error instead of a jump through a null pointer.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <utility>

namespace emu {

// Called with the first two integer arguments of the stray call: one of them
// is the Impl (`this`, or the hidden result pointer then `this`).
void reportNotEmulated(const char* className, int slot, void* a0, void* a1);

template <class Tag, int Slot>
int64_t notEmulated(void* a0, void* a1) {
  reportNotEmulated(Tag::kName, Slot, a0, a1);
  return 0;
}

template <class Tag, std::size_t... I>
std::array<const void*, sizeof...(I)> stubTableFor(std::index_sequence<I...>) {
  return {{reinterpret_cast<const void*>(&notEmulated<Tag, static_cast<int>(I)>)...}};
}

// A vtable of N stubs; the emulated slots are then overwritten with `put`.
template <class Tag, std::size_t N>
std::array<const void*, N> stubTable() {
  return stubTableFor<Tag>(std::make_index_sequence<N>{});
}

// Stores `fn` at slot M::slot. The parameter type is the table's own Fn, so a
// thunk whose signature differs from the ABI table does not compile.
template <class M, std::size_t N>
void put(std::array<const void*, N>& table, typename M::Fn fn) {
  static_assert(M::slot >= 0 && static_cast<std::size_t>(M::slot) < N, "slot outside the vtable");
  table[M::slot] = reinterpret_cast<const void*>(fn);
}

struct RuntimeTag { static constexpr const char* kName = "IRuntime"; };
struct EngineTag { static constexpr const char* kName = "ICudaEngine"; };
struct ContextTag { static constexpr const char* kName = "IExecutionContext"; };
struct InspectorTag { static constexpr const char* kName = "IEngineInspector"; };
struct RuntimeConfigTag { static constexpr const char* kName = "IRuntimeConfig"; };
struct HostMemoryTag { static constexpr const char* kName = "IHostMemory"; };

}  // namespace emu
