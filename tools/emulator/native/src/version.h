// Version numbers the library reports. Each major presents the newest release
// its ABI table covers, so a caller that gates methods on `since` may use all
// of them.
#pragma once

#include <cstdint>

#include "abi.h"

#ifndef TRT_EMU_MAJOR
#error "version.h belongs to the per-major translation units"
#endif

namespace emu {

constexpr const char* kEmulatorVersion = "0.1.0";

struct LibVersion {
  int32_t major, minor, patch, build;
  constexpr int32_t encoded() const { return major * 10000 + minor * 100 + patch; }
};

#if TRT_EMU_MAJOR == 10
constexpr LibVersion kLibVersion{10, 16, 0, 0};
#else
constexpr LibVersion kLibVersion{11, 1, 0, 0};
#endif
static_assert(kLibVersion.major == Abi::kMajor, "version and ABI table disagree");

}  // namespace emu
