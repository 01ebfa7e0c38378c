import { fail, show } from "./errors.js";

/** Separator between binding names in slots 4 and 5 (Torch-TensorRT's `BINDING_DELIM`). */
export const BINDING_DELIMITER = "%";

/**
 * Splits a binding-name slot. The empty string means "no names". Empty entries
 * (from `a%%b` or a trailing `%`) are dropped, as Torch-TensorRT's C++ runtime
 * does when it loads a tuple; writers never produce them.
 */
export function parseBindingNames(text: string): string[] {
  if (text === "") return [];
  return text.split(BINDING_DELIMITER).filter((name) => name !== "");
}

/** Joins binding names for the tuple; BAD_BINDING_NAMES for an empty name or one containing `%`. */
export function formatBindingNames(names: readonly string[], what = "binding names"): string {
  names.forEach((name, i) => {
    if (typeof name !== "string" || name === "" || name.includes(BINDING_DELIMITER)) {
      fail(
        "BAD_BINDING_NAMES",
        `${what}: non-empty names without '%'`,
        `${typeof name === "string" ? show(name) : typeof name} at position ${i}`,
        "Rename the binding; '%' separates names in the tuple and an empty name would vanish on reading.",
      );
    }
  });
  return names.join(BINDING_DELIMITER);
}

/** Parses a "0"/"1" flag slot; BAD_FLAG otherwise. */
export function parseFlag(text: string, what: string): boolean {
  if (text === "1") return true;
  if (text === "0") return false;
  return fail("BAD_FLAG", `${what} as "0" or "1"`, show(text, 20), "The slot is damaged; re-export the engine.");
}

/** Formats a flag as Torch-TensorRT does: "1" or "0". */
export function formatFlag(value: boolean): string {
  return value ? "1" : "0";
}

/**
 * How the runtime allocates the execution context's device memory. Torch-TensorRT
 * writes "0" for static (allocated once at load) and "1" for dynamic (per call).
 */
export type ResourceAllocationStrategy = "static" | "dynamic";

/** Parses the resource-allocation slot; BAD_ALLOCATION_STRATEGY unless "0" or "1". */
export function parseAllocationStrategy(text: string): ResourceAllocationStrategy {
  if (text === "0") return "static";
  if (text === "1") return "dynamic";
  return fail(
    "BAD_ALLOCATION_STRATEGY",
    `resource allocation strategy "0" (static) or "1" (dynamic)`,
    show(text, 20),
    "The slot is damaged; re-export the engine.",
  );
}

/** Formats the resource-allocation slot. */
export function formatAllocationStrategy(value: ResourceAllocationStrategy): string {
  if (value === "static") return "0";
  if (value === "dynamic") return "1";
  return fail(
    "INVALID_VALUE",
    `resourceAllocationStrategy "static" or "dynamic"`,
    show(String(value)),
    "Fix the value before encoding.",
  );
}

/**
 * Target-platform strings Torch-TensorRT's C++ runtime writes. Its Python-only
 * runtime writes the lower-cased enum name instead, which differs for Windows
 * ("win_x86_64", "win_arm64"). The slot is kept verbatim either way.
 */
export const KNOWN_TARGET_PLATFORMS: readonly string[] = Object.freeze([
  "linux_x86_64",
  "linux_aarch64",
  "windows_x86_64",
  "windows_arm64",
  "win_x86_64",
  "win_arm64",
  "unknown",
]);
