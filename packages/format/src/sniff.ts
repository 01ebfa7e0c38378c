import { hasContainerMagic, looksLikePickle } from "./container.js";
import { looksLikePlan } from "./plan-header.js";
import { looksLikeZip } from "./zip/records.js";

/** What the first bytes of an engine file say it is. */
export type EngineFileKind = "container" | "pickle" | "plan" | "archive" | "unknown";

/**
 * Tells the stored forms of an engine apart by their first bytes (16 are plenty):
 * a .trtengine container, a pickled tuple, a raw TensorRT or emulator plan, or a
 * zip (a TorchScript, ExportedProgram or torch.save archive).
 */
export function detectEngineFormat(head: Uint8Array): EngineFileKind {
  if (hasContainerMagic(head)) return "container";
  if (looksLikePickle(head)) return "pickle";
  if (looksLikePlan(head)) return "plan";
  if (looksLikeZip(head)) return "archive";
  return "unknown";
}
