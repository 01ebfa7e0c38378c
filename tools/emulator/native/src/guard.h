// No C++ exception may cross into the caller (it may be C, or JavaScript via
// an FFI). Every thunk runs its body through `guarded`, which turns an escape
// into a logged internal error and the method's failure value.
#pragma once

#include <exception>

namespace emu {

void reportInternalError(void* self, const char* what) noexcept;

template <class R, class F>
R guarded(void* self, R fail, F&& body) noexcept {
  try {
    return body();
  } catch (const std::exception& e) {
    reportInternalError(self, e.what());
  } catch (...) {
    reportInternalError(self, "unknown exception");
  }
  return fail;
}

template <class F>
void guardedVoid(void* self, F&& body) noexcept {
  try {
    body();
  } catch (const std::exception& e) {
    reportInternalError(self, e.what());
  } catch (...) {
    reportInternalError(self, "unknown exception");
  }
}

}  // namespace emu
