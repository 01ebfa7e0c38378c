import { fail, show } from "./errors.js";

/**
 * The meaning of one slot of the engine tuple, independent of where a given ABI
 * version puts it.
 */
export type SlotName =
  | "abiVersion"
  | "name"
  | "device"
  | "engine"
  | "inputBindingNames"
  | "outputBindingNames"
  | "hardwareCompatible"
  | "metadata"
  | "targetPlatform"
  | "requiresOutputAllocator"
  | "resourceAllocationStrategy"
  | "requiresNativeMultiDevice"
  | "aliasedIO";

/** One historical layout of the tuple. */
export interface TupleLayout {
  /** The string in slot 0. */
  readonly abiVersion: string;
  /** Slot meanings in index order; `slots.length` is the tuple length. */
  readonly slots: readonly SlotName[];
  /**
   * How Torch-TensorRT's C++ engine wrote the engine slot in its pickled state for
   * this version: raw bytes (versions 2 and 3) or base64 text (4 and later). A
   * text engine slot read through this layout is decoded accordingly.
   */
  readonly engineText: "latin1" | "base64";
}

/**
 * The newest layout this package knows (Torch-TensorRT's main branch). Writers
 * target the ABI a tuple was read from, else the newest released one
 * (write-abi.ts); this one when asked or when only it carries a field.
 */
export const ABI_VERSION = "10";

// Each layout appends to the previous one; the comments name the upstream change
// (pytorch/TensorRT) that introduced it. README.md, section "Layouts", has details.
const V3: readonly SlotName[] = ["abiVersion", "name", "device", "engine"];
const V4: readonly SlotName[] = [...V3, "inputBindingNames", "outputBindingNames"];
const V5: readonly SlotName[] = [...V4, "hardwareCompatible"];
const V6: readonly SlotName[] = [...V5, "metadata", "targetPlatform"];
const V7: readonly SlotName[] = [...V6, "requiresOutputAllocator"];
const V8: readonly SlotName[] = [...V7, "resourceAllocationStrategy"];
const V9: readonly SlotName[] = [...V8, "requiresNativeMultiDevice"];
const V10: readonly SlotName[] = [...V9, "aliasedIO"];

const table: readonly TupleLayout[] = [
  // 9327ccee80 (2021-06): ABI versioning introduced; no name slot yet. In no release tag.
  { abiVersion: "2", slots: ["abiVersion", "device", "engine"], engineText: "latin1" },
  // 6eb3bb2c57 (2021-08, v0.4.0 .. v1.2.0): engine name added at index 1.
  { abiVersion: "3", slots: V3, engineText: "latin1" },
  // 0e7f4fe4c6 (2022-11, v1.3.0 .. v2.2.0): binding names; engine slot becomes base64.
  { abiVersion: "4", slots: V4, engineText: "base64" },
  // 3f8576c903 (2023-12, v2.3.0 .. v2.4.0): hardware-compatible flag.
  { abiVersion: "5", slots: V5, engineText: "base64" },
  // 9f46d3940d (2024-07): serialized metadata appended WITHOUT an ABI bump, so "5"
  // also occurs with 8 slots (nightlies between v2.4.0 and v2.5.0).
  { abiVersion: "5", slots: [...V5, "metadata"], engineText: "base64" },
  // 47ae0fa9f0 (2024-08, v2.5.0 .. v2.6.x): target platform after the metadata.
  { abiVersion: "6", slots: V6, engineText: "base64" },
  // 10d7c61e5f (2025-03, v2.7.0 .. v2.10.0): requires-output-allocator flag.
  { abiVersion: "7", slots: V7, engineText: "base64" },
  // a21d645857 (2026-01, v2.11.0): resource-allocation strategy.
  { abiVersion: "8", slots: V8, engineText: "base64" },
  // 0b274f09cc (2026-04, v2.12.0 .. v2.13.0): requires-native-multidevice flag.
  { abiVersion: "9", slots: V9, engineText: "base64" },
  // b32ebfff5e (2026-07, after v2.13.0): aliased I/O records.
  { abiVersion: "10", slots: V10, engineText: "base64" },
];

/** Every layout this package reads, oldest first; an ABI version may appear twice (see "5"). */
export const LAYOUTS: readonly TupleLayout[] = Object.freeze(table.map((l) => Object.freeze({ ...l })));

/** ABI versions this package reads, oldest first, without repeats. */
export const SUPPORTED_ABI_VERSIONS: readonly string[] = Object.freeze([...new Set(table.map((l) => l.abiVersion))]);

/** The newest layout (ABI {@link ABI_VERSION}); writers choose theirs with write-abi.ts. */
export const CURRENT_LAYOUT: TupleLayout = LAYOUTS[LAYOUTS.length - 1] as TupleLayout;

/** Human list such as `"2" (3 slots), "3" (4 slots), …` for error messages. */
export function describeSupportedLayouts(): string {
  return table.map((l) => `"${l.abiVersion}" (${l.slots.length} slots)`).join(", ");
}

/**
 * The layout for a tuple whose slot 0 is `abiVersion` and which has `slotCount`
 * slots. Throws UNSUPPORTED_ABI_VERSION for an unknown version and
 * WRONG_SLOT_COUNT for a known version with a slot count it never had.
 */
export function layoutFor(abiVersion: string, slotCount: number): TupleLayout {
  const candidates = LAYOUTS.filter((l) => l.abiVersion === abiVersion);
  if (candidates.length === 0) {
    fail(
      "UNSUPPORTED_ABI_VERSION",
      `an ABI version in slot 0, one of ${describeSupportedLayouts()}`,
      `ABI version ${show(abiVersion, 20)} (${slotCount} slots)`,
      "The engine was written by a Torch-TensorRT whose layout this package does not know; re-save it with a supported version or upgrade @trt/format.",
    );
  }
  const layout = candidates.find((l) => l.slots.length === slotCount);
  if (layout === undefined) {
    const counts = candidates.map((l) => l.slots.length).join(" or ");
    fail(
      "WRONG_SLOT_COUNT",
      `${counts} slots for ABI version "${abiVersion}" (supported: ${describeSupportedLayouts()})`,
      `${slotCount} slots`,
      "The tuple is damaged or was assembled by hand; re-export the engine from Torch-TensorRT or re-save it with @trt/format.",
    );
  }
  return layout;
}
