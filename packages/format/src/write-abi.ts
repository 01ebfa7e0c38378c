/**
 * Which Torch-TensorRT ABI a writer targets. Torch-TensorRT's C++ runtime
 * accepts a tuple only in its own layout: `TRTEngine::verify_serialization_fmt`
 * wants exactly its slot count and its ABI string in slot 0 (the check
 * TorchScript's `torch.jit.load` runs through the engine's pickled state), so
 * a tuple written for one release does not load in another. Facts, from
 * pytorch/TensorRT's core/runtime/runtime.h at each release tag:
 *
 * | ABI | slots | Torch-TensorRT |
 * | --- | --- | --- |
 * | "6" | 9 | 2.5.0 .. 2.6.1 |
 * | "7" | 10 | 2.7.0 .. 2.10.0 |
 * | "8" | 11 | 2.11.0 |
 * | "9" | 12 | 2.12.0 .. 2.13.0 |
 * | "10" | 13 | after 2.13.0 (not in a release yet) |
 *
 * A writer targets one of these. By default: the ABI the tuple was read from
 * (so a module from a Torch-TensorRT 2.11 archive goes back as "8"), else the
 * newest released one; where that ABI cannot carry a field the tuple sets, the
 * oldest newer one that can. An ABI asked for explicitly that cannot carry a
 * field the tuple sets is refused (FIELD_NOT_IN_ABI), never written without it.
 */
import { fail, show } from "./errors.js";
import { LAYOUTS, type SlotName, type TupleLayout } from "./layouts.js";
import type { SerializedEngine } from "./serialized-engine.js";

/** An ABI a writer can target. */
export type WritableAbiVersion = "6" | "7" | "8" | "9" | "10";

/** The ABIs writers target, oldest first, with the Torch-TensorRT releases that load each. */
export const WRITABLE_ABI_VERSIONS: readonly WritableAbiVersion[] = Object.freeze(["6", "7", "8", "9", "10"]);

/** The Torch-TensorRT releases whose C++ runtime loads each ABI (see the table above). */
export const TORCH_TENSORRT_RELEASES: Readonly<Record<WritableAbiVersion, string>> = Object.freeze({
  "6": "Torch-TensorRT 2.5.0 to 2.6.1",
  "7": "Torch-TensorRT 2.7.0 to 2.10.0",
  "8": "Torch-TensorRT 2.11.0",
  "9": "Torch-TensorRT 2.12.0 to 2.13.0",
  "10": "Torch-TensorRT after 2.13.0 (not in a release yet)",
});

/** The newest ABI of a Torch-TensorRT release: what a tuple not read from a file is written as. */
export const RELEASED_ABI_VERSION: WritableAbiVersion = "9";

/** Whether `abi` is one writers target. */
export function isWritableAbiVersion(abi: unknown): abi is WritableAbiVersion {
  return typeof abi === "string" && (WRITABLE_ABI_VERSIONS as readonly string[]).includes(abi);
}

/** The layout of a writable ABI (each has exactly one). */
export function writableLayout(abi: WritableAbiVersion): TupleLayout {
  return LAYOUTS.find((l) => l.abiVersion === abi) as TupleLayout;
}

/** A field set to something a layout without its slot cannot say, described for messages; null when it is at its default. */
function setField(value: SerializedEngine, slot: SlotName): string | null {
  switch (slot) {
    case "aliasedIO":
      return value.aliasedIO.length > 0 ? `aliased I/O (${value.aliasedIO.map((a) => `${a.output} -> ${a.input}`).join(", ")})` : null;
    case "requiresNativeMultiDevice":
      return value.requiresNativeMultiDevice ? "requiresNativeMultiDevice (TensorRT's native multi-device)" : null;
    case "resourceAllocationStrategy":
      return value.resourceAllocationStrategy === "dynamic" ? 'resourceAllocationStrategy "dynamic"' : null;
    case "requiresOutputAllocator":
      return value.requiresOutputAllocator ? "requiresOutputAllocator (data-dependent output shapes)" : null;
    default:
      return null;
  }
}

/** The fields `value` sets that `abi`'s layout has no slot for, described. */
export function fieldsOutsideAbi(value: SerializedEngine, abi: WritableAbiVersion): string[] {
  const slots = writableLayout(abi).slots;
  const all: SlotName[] = ["requiresOutputAllocator", "resourceAllocationStrategy", "requiresNativeMultiDevice", "aliasedIO"];
  return all.filter((slot) => !slots.includes(slot)).map((slot) => setField(value, slot)).filter((d): d is string => d !== null);
}

/** The oldest writable ABI, from `from` on, that carries every field `value` sets. */
function firstCarrying(value: SerializedEngine, from: WritableAbiVersion): WritableAbiVersion {
  const start = WRITABLE_ABI_VERSIONS.indexOf(from);
  return WRITABLE_ABI_VERSIONS.slice(start).find((abi) => fieldsOutsideAbi(value, abi).length === 0) ?? "10";
}

/** The ABI a writer uses for `value` when none is asked for (see the module comment). */
export function defaultWriteAbi(value: SerializedEngine): WritableAbiVersion {
  const read = isWritableAbiVersion(value.abiVersion) ? value.abiVersion : RELEASED_ABI_VERSION;
  return firstCarrying(value, read);
}

/**
 * The layout to write `value` in: `requested` (checked: UNSUPPORTED_ABI_VERSION
 * for an ABI writers do not target, FIELD_NOT_IN_ABI for one that cannot carry a
 * field `value` sets), or {@link defaultWriteAbi}.
 */
export function resolveWriteAbi(value: SerializedEngine, requested?: string): TupleLayout {
  if (requested === undefined) return writableLayout(defaultWriteAbi(value));
  if (!isWritableAbiVersion(requested)) {
    fail(
      "UNSUPPORTED_ABI_VERSION",
      `an ABI to write, one of ${WRITABLE_ABI_VERSIONS.map((a) => `"${a}" (${TORCH_TENSORRT_RELEASES[a]})`).join(", ")}`,
      typeof requested === "string" ? `ABI ${show(requested, 20)}` : String(requested),
      "Pick the ABI of the Torch-TensorRT that will load the file (its torch.ops.tensorrt.ABI_VERSION()).",
    );
  }
  const outside = fieldsOutsideAbi(value, requested);
  if (outside.length > 0) {
    const needs = firstCarrying(value, requested);
    fail(
      "FIELD_NOT_IN_ABI",
      `only fields ABI "${requested}" (${TORCH_TENSORRT_RELEASES[requested]}) has slots for`,
      `${outside.join(" and ")}, which ABI "${requested}" cannot carry (ABI "${needs}" can: ${TORCH_TENSORRT_RELEASES[needs]})`,
      `Write ABI "${needs}" or newer, or clear ${outside.length === 1 ? "that field" : "those fields"} first if the target runtime can do without ${outside.length === 1 ? "it" : "them"}; nothing was written.`,
    );
  }
  return writableLayout(requested);
}
