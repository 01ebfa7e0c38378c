// Which code runs matmul layers, decided once per process after the mode:
// the host kernel in host mode; in CUDA mode cuBLAS (cublasSgemm, loaded at
// run time) unless TRT_EMU_MATMUL=kernel or no libcublas can be loaded, in
// which case the emulator's own kernel (the host's accumulation order, so
// bit-identical to host mode). cuBLAS results are float32-accurate but not
// bit-identical to the other two.
//
//   TRT_EMU_MATMUL = auto (default) | cublas | kernel
//     auto:   cuBLAS when it loads, else the kernel
//     cublas: cuBLAS or nothing (createInferRuntime logs why and returns null)
//     kernel: always the kernel
//   TRT_EMU_CUBLAS = path of the libcublas to load (else libcublas.so.13, .so.12)
//
// Only CUDA mode reads them; host mode ignores both.
#pragma once

#include <string>

namespace emu {

class Logger;

enum class MatmulPath { kHost, kKernel, kCublas };

struct MatmulPathInfo {
  MatmulPath path = MatmulPath::kHost;
  bool ok = true;      // false: the environment asks for something impossible
  std::string error;   // why, when !ok
  std::string reason;  // how the path was chosen, for the INFO line
};

const MatmulPathInfo& matmulPath();
// "host", "kernel", "cublas", or "error" when !ok (trtEmulatorMatmulBackend()).
const char* matmulPathName(const MatmulPathInfo& info);
// One kINFO line per process, in CUDA mode, saying which path matmul layers take.
void reportMatmulPath(const Logger& log);

}  // namespace emu
