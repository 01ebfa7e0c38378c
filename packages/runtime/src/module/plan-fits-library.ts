/**
 * A plan names who built it in its first bytes, and the loaded library says
 * whether it is real TensorRT or the project's emulator. Each runs only its
 * own kind of plan; handing it the other kind fails deep in deserialization
 * with a message about magic bytes. Checked first, the error says what the
 * file is and which library it needs.
 */
import { PLAN_HEADER_BYTES, readPlanHeader, type PlanHeader } from "@trt/format";
import type { TensorRTLibraryInfo } from "../engine/contract.js";
import { RuntimeUnavailableError } from "../errors/index.js";

/** TensorRT-RTX's plans need TensorRT-RTX; the rest, TensorRT's major that built them. */
function builtBy(header: PlanHeader): string {
  const release = header.producer === "tensorrt-rtx" ? "TensorRT-RTX" : "TensorRT";
  return header.tensorrtVersion !== null ? `${release} ${header.tensorrtVersion}` : release;
}

/** Throws RuntimeUnavailableError when `plan` is for real TensorRT and `library` is the emulator, or the other way round. */
export function checkPlanFitsLibrary(plan: Uint8Array, library: TensorRTLibraryInfo): void {
  const header = readPlanHeader(plan.subarray(0, PLAN_HEADER_BYTES));
  if (header === null) return;
  const emulator = library.emulator;
  if (emulator !== null && header.producer !== "emulator") {
    const major = header.tensorrtVersion?.split(".")[0];
    throw new RuntimeUnavailableError({
      component: "tensorrt",
      expected: `real ${header.producer === "tensorrt-rtx" ? "TensorRT-RTX" : "TensorRT"}${major !== undefined ? ` ${major}` : ""} to run a ${builtBy(header)} plan`,
      reason:
        `this is a ${builtBy(header)} plan, and the library loaded (${library.path}) is the TensorRT emulator ${emulator.version}, ` +
        "which runs only plans written by its own plan builder",
      fix:
        `Point TRT_NVINFER_PATH (the environment's nvinferPath option; trt --nvinfer) at real TensorRT's libnvinfer.so.${major ?? "N"}, ` +
        "on a machine with an NVIDIA GPU, or leave it unset to search for TensorRT.",
      pathsTried: [library.path],
    });
  }
  if (emulator === null && header.producer === "emulator") {
    throw new RuntimeUnavailableError({
      component: "tensorrt",
      expected: "the TensorRT emulator to run a plan written by its plan builder",
      reason: `this is a TensorRT emulator plan, and the library loaded (${library.path}) is TensorRT ${library.version.major}.${library.version.minor}.${library.version.patch}, which cannot run it`,
      fix: "Build the engine with TensorRT for this library, or point TRT_NVINFER_PATH (trt --nvinfer) at the emulator's libnvinfer.",
      pathsTried: [library.path],
    });
  }
}
