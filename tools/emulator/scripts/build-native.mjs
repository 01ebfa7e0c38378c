// Builds libnvinfer.so.10 and libnvinfer.so.11 (the emulator), its C++ tests
// and the run_plan example with cmake: host-only into build/host, or with
// the CUDA backend into build/cuda when TRT_EMU_CUDA=ON. Configures only
// when the build folder is new (cmake re-configures by itself when needed).
import { existsSync } from "node:fs";
import { join } from "node:path";

import { buildDir, requireTool, root, run, variant, withCuda } from "./native-variant.mjs";

const started = Date.now();
requireTool(
  "cmake",
  "cmake was not found: building the TensorRT emulator needs cmake >= 3.20 and a C++17 compiler " +
    "(Debian/Ubuntu: apt-get install cmake g++).",
);

if (!existsSync(join(buildDir, "CMakeCache.txt"))) {
  const status = run("cmake", [
    "-S", root,
    "-B", buildDir,
    "-DCMAKE_BUILD_TYPE=Release",
    `-DTRT_EMU_CUDA=${withCuda ? "ON" : "OFF"}`,
  ]);
  if (status !== 0) {
    console.error(
      `[emulator] cmake could not configure ${buildDir}: is a C++17 compiler installed (g++ or clang++)?` +
        (withCuda ? " TRT_EMU_CUDA=ON also needs nvcc on PATH (or CMAKE_CUDA_COMPILER)." : ""),
    );
    process.exit(1);
  }
}

const jobs = process.env.TRT_EMU_JOBS ?? "2";
if (run("cmake", ["--build", buildDir, "-j", jobs]) !== 0) {
  console.error(`[emulator] the native build failed (${buildDir})`);
  process.exit(1);
}
console.log(`[emulator] native ${variant} build ready in ${((Date.now() - started) / 1000).toFixed(1)} s: ${buildDir}`);
