// Runs the emulator's C++ tests (ctest) on the build the variant names
// (build/host, or build/cuda with TRT_EMU_CUDA=ON). TRT_EMULATOR_MODE passes
// through, so `TRT_EMULATOR_MODE=cuda` on a GPU machine runs them all on CUDA.
import { existsSync } from "node:fs";
import { join } from "node:path";

import { buildDir, requireTool, run } from "./native-variant.mjs";

requireTool("ctest", "ctest was not found (it comes with cmake >= 3.20).");
if (!existsSync(join(buildDir, "CTestTestfile.cmake"))) {
  console.error(`[emulator] ${buildDir} has no tests yet: run \`pnpm --filter @trt/emulator build\` first`);
  process.exit(1);
}
const status = run("ctest", ["--test-dir", buildDir, "--output-on-failure", "-j", process.env.TRT_EMU_JOBS ?? "2"]);
process.exit(status ?? 1);
