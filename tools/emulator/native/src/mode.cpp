#include "mode.h"

#include <cstdlib>
#include <cstring>

#include "backend.h"

namespace emu {

namespace {

ModeInfo resolve() {
  ModeInfo m;
  m.cudaBuilt = cudaCompiledIn();
  const char* env = std::getenv("TRT_EMULATOR_MODE");
  const std::string want = env ? env : "";
  if (want == "host") {
    m.reason = "TRT_EMULATOR_MODE=host";
    return m;
  }
  if (!want.empty() && want != "cuda" && want != "auto") {
    m.ok = false;
    m.error = "TRT_EMULATOR_MODE is \"" + want + "\"; expected host, cuda or auto";
    return m;
  }
  std::string why;
  const int devices = m.cudaBuilt ? cudaDeviceCount(why) : 0;
  if (!m.cudaBuilt) why = "the library was built without CUDA (TRT_EMU_CUDA=OFF)";
  if (devices > 0) {
    m.mode = Mode::kCuda;
    m.reason = want == "cuda" ? "TRT_EMULATOR_MODE=cuda" : "a CUDA device is present";
    return m;
  }
  if (want == "cuda") {
    m.ok = false;
    m.error = "TRT_EMULATOR_MODE=cuda but CUDA cannot be used: " + why;
    return m;
  }
  m.reason = "no CUDA device (" + why + ")";
  return m;
}

}  // namespace

const ModeInfo& executionMode() {
  static const ModeInfo info = resolve();
  return info;
}

const char* modeName(Mode m) { return m == Mode::kCuda ? "cuda" : "host"; }

Backend& activeBackend() {
  const ModeInfo& m = executionMode();
  if (m.ok && m.mode == Mode::kCuda) return *cudaBackend();
  return hostBackend();
}

}  // namespace emu
