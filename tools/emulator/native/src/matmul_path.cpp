#include "matmul_path.h"

#include <atomic>
#include <cstdlib>

#include "backend.h"
#include "logger.h"
#include "mode.h"

namespace emu {

namespace {

MatmulPathInfo resolve() {
  MatmulPathInfo m;
  const ModeInfo& mode = executionMode();
  if (!mode.ok) {
    m.ok = false;
    m.error = mode.error;
    return m;
  }
  if (mode.mode != Mode::kCuda) {
    m.reason = "host mode";
    return m;
  }
  const char* env = std::getenv("TRT_EMU_MATMUL");
  const std::string want = env ? env : "";
  if (!want.empty() && want != "auto" && want != "cublas" && want != "kernel") {
    m.ok = false;
    m.error = "TRT_EMU_MATMUL is \"" + want + "\"; expected auto, cublas or kernel";
    return m;
  }
  m.path = MatmulPath::kKernel;
  if (want == "kernel") {
    m.reason = "TRT_EMU_MATMUL=kernel";
    return m;
  }
  std::string detail;
  if (cudaCublasAvailable(detail)) {
    m.path = MatmulPath::kCublas;
    m.reason = detail;
    return m;
  }
  if (want == "cublas") {
    m.ok = false;
    m.error = "TRT_EMU_MATMUL=cublas but cuBLAS cannot be loaded (" + detail + ")";
    return m;
  }
  m.reason = "cuBLAS not found: " + detail;
  return m;
}

}  // namespace

const MatmulPathInfo& matmulPath() {
  static const MatmulPathInfo info = resolve();
  return info;
}

const char* matmulPathName(const MatmulPathInfo& info) {
  if (!info.ok) return "error";
  switch (info.path) {
    case MatmulPath::kCublas: return "cublas";
    case MatmulPath::kKernel: return "kernel";
    case MatmulPath::kHost: break;
  }
  return "host";
}

void reportMatmulPath(const Logger& log) {
  const MatmulPathInfo& m = matmulPath();
  if (!m.ok || m.path == MatmulPath::kHost) return;
  static std::atomic<bool> reported{false};
  if (reported.exchange(true)) return;
  log.info(std::string("TensorRT emulator: matmul layers run on ") +
           (m.path == MatmulPath::kCublas ? "cuBLAS" : "the emulator's CUDA kernel") + " (" + m.reason + ")");
}

}  // namespace emu
