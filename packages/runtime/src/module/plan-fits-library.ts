/**
 * A plan names who built it in its first bytes, and the loaded library says
 * which plans it runs (libraries/library-traits.ts): real TensorRT runs
 * TensorRT's, the project's emulator only its own. Handing a library the
 * other kind fails deep in deserialization with a message about magic bytes;
 * checked first, the error says what the file is and which library it needs.
 */
import { readPlanHeader, type PlanHeader } from "@trt/format";
import { PLAN_HEADER_BYTES } from "@trt/format/container";
import type { TensorRTLibraryInfo } from "../engine/contract.js";
import { RuntimeUnavailableError } from "../errors/index.js";
import { libraryTraits } from "../libraries/library-traits.js";

/** "TensorRT 10.6.0.26", "TensorRT-RTX 1.7.1.116", or the producer alone when the header names no release. */
function builtBy(header: PlanHeader): string {
  if (header.producer === "emulator") return "TensorRT emulator";
  const release = header.producer === "tensorrt-rtx" ? "TensorRT-RTX" : "TensorRT";
  return header.tensorrtVersion !== null ? `${release} ${header.tensorrtVersion}` : release;
}

/** Throws RuntimeUnavailableError when the loaded library does not run the kind of plan `plan` is. */
export function checkPlanFitsLibrary(plan: Uint8Array, library: TensorRTLibraryInfo): void {
  const header = readPlanHeader(plan.subarray(0, PLAN_HEADER_BYTES));
  if (header === null) return;
  const traits = libraryTraits(library);
  if (traits.plans.includes(header.producer)) return;
  if (header.producer === "emulator") {
    throw new RuntimeUnavailableError({
      component: "tensorrt",
      expected: "the TensorRT emulator to run a plan written by its plan builder",
      reason: `this is a TensorRT emulator plan, and the library loaded (${library.path}) is ${traits.label}, which cannot run it`,
      fix: "Build the engine with TensorRT for this library, or point TRT_NVINFER_PATH (trt --nvinfer) at the emulator's libnvinfer.",
      pathsTried: [library.path],
    });
  }
  const major = header.tensorrtVersion?.split(".")[0];
  const wanted = header.producer === "tensorrt-rtx" ? "TensorRT-RTX" : "TensorRT";
  throw new RuntimeUnavailableError({
    component: "tensorrt",
    expected: `real ${wanted}${major !== undefined ? ` ${major}` : ""} to run a ${builtBy(header)} plan`,
    reason: `this is a ${builtBy(header)} plan, and the library loaded (${library.path}) is the ${traits.label.replace(/ \(.*\)$/, "")}, which runs only plans written by its own plan builder`,
    fix:
      `Point TRT_NVINFER_PATH (the environment's nvinferPath option; trt --nvinfer) at real ${wanted}'s libnvinfer.so.${major ?? "N"}, ` +
      "on a machine with an NVIDIA GPU, or leave it unset to search for TensorRT.",
    pathsTried: [library.path],
  });
}
