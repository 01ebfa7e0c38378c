// Host or CUDA execution, decided once per process: TRT_EMULATOR_MODE=host|cuda
// when set, otherwise CUDA when the library was built with it and a device is
// present, else host. In host mode every pointer the caller passes (tensors,
// device memory) is a host pointer and streams are ignored.
#pragma once

#include <string>

namespace emu {

enum class Mode { kHost, kCuda };

struct ModeInfo {
  Mode mode = Mode::kHost;
  bool cudaBuilt = false;
  bool ok = true;     // false: the environment asked for something impossible
  std::string error;  // why, when !ok
  std::string reason; // how the mode was chosen, for an INFO line
};

const ModeInfo& executionMode();
const char* modeName(Mode m);

class Backend;
Backend& activeBackend();  // the backend of executionMode() (host when !ok)

}  // namespace emu
