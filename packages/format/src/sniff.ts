import { hasContainerMagic, looksLikePickle } from "./container.js";

/** What the first bytes of an engine file say it is. */
export type EngineFileKind = "container" | "pickle" | "unknown";

/** Tells a container from a pickle by their first bytes (16 are plenty). */
export function detectEngineFormat(head: Uint8Array): EngineFileKind {
  if (hasContainerMagic(head)) return "container";
  if (looksLikePickle(head)) return "pickle";
  return "unknown";
}
