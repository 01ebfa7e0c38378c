// Builds the vtables of our caller objects from each major's slot layout.
#include "caller_vtables.h"

#include <array>

namespace trtn {
namespace {

using trt_abi::Dims64;
using trt_abi::InterfaceInfo;

CallerObject* Self(void* self) { return static_cast<CallerObject*>(self); }

// One thunk per slot type. The Fn types of both majors are identical for these
// (checked by the static_casts below), only the slot numbers differ.
void LogThunk(void* self, int32_t severity, const char* msg) { LoggerOnLog(Self(self)->owner, severity, msg); }
void ReportLayerTimeThunk(void* self, const char* layer, float ms) {
  ProfilerOnReport(Self(self)->owner, layer, ms);
}
void* ReallocateOutputThunk(void* self, const char* name, void* current, uint64_t size, uint64_t alignment) {
  return OutputAllocatorOnReallocate(Self(self)->owner, name, current, size, alignment, nullptr);
}
void* ReallocateOutputAsyncThunk(void* self, const char* name, void* current, uint64_t size, uint64_t alignment,
                                 void* stream) {
  return OutputAllocatorOnReallocate(Self(self)->owner, name, current, size, alignment, stream);
}
void NotifyShapeThunk(void* self, const char* name, const Dims64* dims) {
  OutputAllocatorOnNotifyShape(Self(self)->owner, name, dims);
}
// TensorRT never owns these objects; the destructor slots exist so that a
// stray virtual destructor call is harmless rather than a jump to null.
void NoopDestructor(void*) {}
int32_t ApiLanguageCpp(void*) { return static_cast<int32_t>(trt_abi::V11::APILanguage::kCPP); }

template <class I>
InterfaceInfo InterfaceInfoOf(void*) {
  return InterfaceInfo{I::kInterfaceKind, I::kInterfaceMajor, I::kInterfaceMinor};
}

// A vtable as the Itanium ABI lays it out: offset-to-top and RTTI words
// before the slots the vptr points at. Nothing should read them, but a real
// layout costs two words and removes a class of surprises.
template <int N>
struct Vtable {
  std::array<void*, N + 2> words{};
  void* const* vptr() const { return words.data() + 2; }
  template <class Fn>
  void Set(int slot, Fn fn) {
    words[slot + 2] = reinterpret_cast<void*>(fn);
  }
};

template <class I, int N>
void FillVersionedBase(Vtable<N>& vt) {
  if constexpr (I::kVersioned) {
    vt.Set(I::getAPILanguage::slot, static_cast<typename I::getAPILanguage::Fn>(&ApiLanguageCpp));
    vt.Set(I::getInterfaceInfo::slot, static_cast<typename I::getInterfaceInfo::Fn>(&InterfaceInfoOf<I>));
  }
  vt.Set(I::destructor_complete::slot, static_cast<typename I::destructor_complete::Fn>(&NoopDestructor));
  vt.Set(I::destructor_deleting::slot, static_cast<typename I::destructor_deleting::Fn>(&NoopDestructor));
}

template <class V>
const CallerVtables* Build() {
  using L = typename V::ILogger;
  using P = typename V::IProfiler;
  using A = typename V::IOutputAllocator;

  static Vtable<L::kVtableSize> logger;
  FillVersionedBase<L>(logger);
  logger.Set(L::log::slot, static_cast<typename L::log::Fn>(&LogThunk));

  static Vtable<P::kVtableSize> profiler;
  FillVersionedBase<P>(profiler);
  profiler.Set(P::reportLayerTime::slot, static_cast<typename P::reportLayerTime::Fn>(&ReportLayerTimeThunk));

  static Vtable<A::kVtableSize> allocator;
  FillVersionedBase<A>(allocator);
  allocator.Set(A::reallocateOutput::slot, static_cast<typename A::reallocateOutput::Fn>(&ReallocateOutputThunk));
  allocator.Set(A::reallocateOutputAsync::slot,
                static_cast<typename A::reallocateOutputAsync::Fn>(&ReallocateOutputAsyncThunk));
  allocator.Set(A::notifyShape::slot, static_cast<typename A::notifyShape::Fn>(&NotifyShapeThunk));

  static const CallerVtables tables{logger.vptr(), profiler.vptr(), allocator.vptr()};
  return &tables;
}

}  // namespace

const CallerVtables* CallerVtablesFor(int major) {
  // Function-local statics: built once, thread-safely, on first use.
  static const CallerVtables* v10 = Build<trt_abi::V10>();
  static const CallerVtables* v11 = Build<trt_abi::V11>();
  if (major == trt_abi::V10::kMajor) return v10;
  if (major == trt_abi::V11::kMajor) return v11;
  return nullptr;
}

}  // namespace trtn
