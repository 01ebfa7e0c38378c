/**
 * Real TensorRT engines through TensorRTModule, on each engine
 * implementation: outputs against the NumPy references, and the runtime's
 * features on real kernels (output allocator, CUDA graphs, reused outputs,
 * profiling with the engine's own layer names, several optimization
 * profiles, weight-streaming budgets, the lean runtime).
 *
 * Runs only where real TensorRT and a GPU are: set TRT_REAL_FIXTURES to one
 * major's fixture folder (fixtures/trt10) and TRT_NVINFER_PATH to that
 * major's libnvinfer.so.N (or, with TRT_REAL_LEAN=1, libnvinfer_lean.so.N:
 * then only the version-compatible fixtures run, and a plain engine must be
 * refused with an error). run-on-gpu.sh sets all of this up from staged
 * wheels. Everywhere else the suite is skipped and says why.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { it } from "vitest";
import { defineFixtureSuite } from "./support/suite.js";

const directory = process.env.TRT_REAL_FIXTURES ?? "";
const nvinferPath = process.env.TRT_NVINFER_PATH ?? "";
const skipReason = !directory
  ? "TRT_REAL_FIXTURES is not set: this suite needs real TensorRT and a GPU (tools/real-tensorrt/run-on-gpu.sh)"
  : !nvinferPath
    ? "TRT_NVINFER_PATH is not set: name the real libnvinfer to test"
    : null;

if (skipReason) {
  console.log(`[real-tensorrt] skipped: ${skipReason}`);
  it.skip(`real TensorRT: ${skipReason}`, () => {});
} else {
  // Torch-TensorRT's archives of these engines sit beside the fixture folder (fixtures/torch-tensorrt).
  const archives = process.env.TRT_REAL_ARCHIVES ?? join(directory, "..", "torch-tensorrt");
  defineFixtureSuite({ directory, nvinferPath, lean: process.env.TRT_REAL_LEAN === "1", emulator: false, ...(existsSync(archives) ? { archives } : {}) });
}
