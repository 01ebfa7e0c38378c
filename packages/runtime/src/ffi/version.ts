/**
 * TensorRT versions: the library reports major*10000 + minor*100 + patch
 * (getInferLibVersion); the ABI tables mark methods with the first release
 * that has them ("10.1.0", "10.11"). Pure functions, tested on their own.
 */
import { abiTables, supportedMajors } from "../abi/tables.generated.js";
import type { AbiTable, SupportedMajor } from "../abi/tables.generated.js";
import { RuntimeUnavailableError } from "../errors/index.js";

export interface LibraryVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  /** As getInferLibVersion returns it. */
  readonly raw: number;
}

/** Splits getInferLibVersion's value (e.g. 101600 -> 10.16.0). */
export function parseLibVersion(raw: number): LibraryVersion {
  if (!Number.isInteger(raw) || raw <= 0) throw new RangeError(`not a TensorRT version number: ${raw}`);
  return { major: Math.floor(raw / 10000), minor: Math.floor(raw / 100) % 100, patch: raw % 100, raw };
}

/** "10.16.0" for display. */
export function formatVersion(v: LibraryVersion): string {
  return `${v.major}.${v.minor}.${v.patch}`;
}

/** True when a library of version `v` has a method whose `since` is given ("10.11", "10.1.0"); null means always. */
export function hasSince(v: LibraryVersion, since: string | null): boolean {
  if (since === null) return true;
  const [major = 0, minor = 0, patch = 0] = since.split(".").map((p) => Number.parseInt(p, 10));
  if (v.major !== major) return v.major > major;
  if (v.minor !== minor) return v.minor > minor;
  return v.patch >= patch;
}

/**
 * Picks the ABI table for a loaded library's version (raw number or parsed).
 * Throws RuntimeUnavailableError naming the version found and the supported majors.
 */
export function selectAbiTable(version: number | LibraryVersion): AbiTable {
  const v = typeof version === "number" ? parseLibVersion(version) : version;
  if ((supportedMajors as readonly number[]).includes(v.major)) return abiTables[v.major as SupportedMajor];
  const supported = supportedMajors.map((m) => `${m}.x`).join(", ");
  throw new RuntimeUnavailableError({
    component: "tensorrt",
    expected: `TensorRT ${supported}`,
    reason: `the loaded libnvinfer reports version ${formatVersion(v)} (${v.raw}), whose ABI this runtime has no table for`,
    fix: `Install TensorRT ${supported}, or point TRT_NVINFER_PATH at such a library; a newer major needs a new ABI table in tools/abi.`,
  });
}
