/**
 * What the rest of the runtime asks of a loaded TensorRT library, instead of
 * asking whether it is the project's emulator: what to call it, whether it is
 * TensorRT, where its engines keep their memory, which plans it runs and
 * whether it serves a runtime cache through entry points of its own.
 *
 * Real TensorRT gets the answers below from its version. A stand-in that
 * speaks TensorRT's ABI (the emulator tools/emulator builds for tests without
 * a GPU) says who it is through a `trtEmulatorInfo` export, which the loaders
 * read into `TensorRTLibraryInfo.emulator` (ffi/library.ts, the addon's
 * library.cc); this file is the one place that turns that into behaviour.
 */
import type { PlanProducer } from "@trt/format";
import type { TensorRTLibraryInfo } from "../engine/contract.js";

/** The answers for one library. */
export interface LibraryTraits {
  /** How output and logs name it: "TensorRT 10.8.0", or "TensorRT emulator 0.1.0 (host mode, not TensorRT)". */
  readonly label: string;
  /** False for a stand-in: nothing measured on it is a TensorRT result. */
  readonly isTensorRT: boolean;
  /**
   * Where engines keep tensors and scratch memory: "device" (CUDA: libcudart
   * and a GPU are needed) or "host" (a stand-in running on the CPU: the host
   * device layer, no libcudart).
   */
  readonly memory: "device" | "host";
  /** The plans it deserializes, by who wrote them (see @trt/format's readPlanHeader). */
  readonly plans: readonly PlanProducer[];
  /** It serves a runtime cache through its own entry points (cache/library-cache.ts). */
  readonly runtimeCacheEntryPoints: boolean;
}

/** The traits of `library`. */
export function libraryTraits(library: TensorRTLibraryInfo): LibraryTraits {
  const stand = library.emulator;
  if (stand === null) {
    const { major, minor, patch } = library.version;
    // TensorRT-RTX's library is not told apart from TensorRT's here, so both kinds of plan are handed to it.
    return { label: `TensorRT ${major}.${minor}.${patch}`, isTensorRT: true, memory: "device", plans: ["tensorrt", "tensorrt-rtx"], runtimeCacheEntryPoints: false };
  }
  return {
    label: `TensorRT emulator ${stand.version} (${stand.mode} mode, not TensorRT)`,
    isTensorRT: false,
    memory: stand.mode === "host" ? "host" : "device",
    plans: ["emulator"],
    runtimeCacheEntryPoints: describedFeature(stand.info, "runtimeCache"),
  };
}

/** Whether the stand-in's own description (its JSON) sets `feature` to true. */
function describedFeature(info: string | undefined, feature: string): boolean {
  if (info === undefined) return false;
  try {
    return (JSON.parse(info) as Record<string, unknown>)[feature] === true;
  } catch {
    return false;
  }
}
