// Builds the floor benchmark (floor/*.cpp) into build/trt-bench-floor with the
// C++ compiler on PATH. It needs no CUDA or TensorRT headers: the ABI comes
// from the generated header in packages/native/include, and TensorRT and the
// CUDA runtime are loaded at run time.
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const compiler = process.env.CXX ?? "c++";
const sources = readdirSync(join(root, "floor"))
  .filter((f) => f.endsWith(".cpp"))
  .map((f) => join(root, "floor", f));
mkdirSync(join(root, "build"), { recursive: true });
const output = join(root, "build", "trt-bench-floor");
const args = ["-O2", "-std=c++17", "-Wall", "-Wextra", "-I", join(root, "..", "..", "packages", "native", "include"), ...sources, "-ldl", "-o", output];
const result = spawnSync(compiler, args, { stdio: "inherit" });
if (result.error || result.status !== 0) {
  console.error(`[bench] could not build the floor benchmark with ${compiler}: ${result.error?.message ?? `exit ${result.status}`}. Install a C++17 compiler (apt-get install g++) or set CXX.`);
  process.exit(1);
}
console.log(`[bench] floor benchmark ready: ${output}`);
