/**
 * The real TensorRT fixtures as the builder (build_fixtures.py) describes
 * them in each major's manifest.json: engine files, seeded inputs and
 * reference outputs (.npy, computed with NumPy in float64), tolerances and
 * the features each fixture exercises.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { decodeNpy, halfBitsToFloat32 } from "@trt/sdk";
import type { NpyArray } from "@trt/sdk";

/** The fixtures folder committed in the repository. */
export const FIXTURES_ROOT = fileURLToPath(new URL("../../fixtures", import.meta.url));

export interface FixtureIo {
  readonly name: string;
  readonly mode: "input" | "output";
  readonly dtype: string;
  readonly shape: readonly number[];
}

export interface FixtureEntry {
  readonly name: string;
  readonly description: string;
  /** Set when the builder could not make this fixture with this TensorRT; the reason. */
  readonly error?: string;
  readonly engine?: string;
  readonly bytes?: number;
  readonly io?: readonly FixtureIo[];
  readonly profiles?: number;
  readonly layers?: number;
  readonly streamableWeightsBytes?: number;
  /** Input files by input name; "x@40" is input x for the case of batch 40. */
  readonly inputs?: Readonly<Record<string, string>>;
  readonly outputs?: Readonly<Record<string, string>>;
  readonly tolerance?: { readonly rtol: number; readonly atol: number };
  readonly features?: readonly string[];
  /** Built version-compatible with the lean runtime left out: runs on libnvinfer_lean. */
  readonly lean?: boolean;
  readonly sha256?: Readonly<Record<string, string>>;
  /** Why the engine file is not in the repository (too large); build_fixtures.py makes it. */
  readonly notCommitted?: string;
}

export interface FixtureManifest {
  readonly tensorrt: string;
  readonly major: number;
  readonly gpu?: string;
  readonly computeCapability?: string;
  readonly torch?: string;
  readonly cuda?: string;
  readonly fixtures: readonly FixtureEntry[];
}

/** The majors whose fixtures are in the repository. */
export function committedMajors(): number[] {
  return [10, 11].filter((major) => existsSync(join(FIXTURES_ROOT, `trt${major}`, "manifest.json")));
}

export function readManifest(directory: string): FixtureManifest {
  return JSON.parse(readFileSync(join(directory, "manifest.json"), "utf8")) as FixtureManifest;
}

/** One case of a fixture: its inputs and expected outputs ("x@40" keys select the case "40"). */
export interface FixtureCase {
  readonly label: string;
  readonly inputs: Readonly<Record<string, NpyArray>>;
  readonly outputs: Readonly<Record<string, NpyArray>>;
}

export function casesOf(directory: string, entry: FixtureEntry): FixtureCase[] {
  const labels = new Set<string>();
  for (const key of Object.keys(entry.inputs ?? {})) labels.add(key.includes("@") ? key.split("@")[1]! : "");
  const read = (file: string): NpyArray => decodeNpy(readFileSync(join(directory, file)));
  return [...labels].map((label) => {
    const pick = (files: Readonly<Record<string, string>> | undefined): Record<string, NpyArray> => {
      const out: Record<string, NpyArray> = {};
      for (const [key, file] of Object.entries(files ?? {})) {
        const [name, caseLabel = ""] = key.split("@");
        if (caseLabel === label) out[name!] = read(file);
      }
      return out;
    };
    return { label: label || "default", inputs: pick(entry.inputs), outputs: pick(entry.outputs) };
  });
}

/** Float values of a float32 or float16 (bit patterns) array. */
export function floats(array: NpyArray): Float32Array {
  if (array.dtype === "float32") return array.data as Float32Array;
  if (array.dtype === "float16") return Float32Array.from(array.data as Uint16Array, halfBitsToFloat32);
  throw new Error(`not a float array: ${array.dtype}`);
}

/** The largest |a-b| - (atol + rtol*|b|) over all elements: <= 0 when within tolerance. */
export function worstExcess(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: { rtol: number; atol: number }): number {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length} != ${expected.length}`);
  let worst = -Infinity;
  for (let i = 0; i < actual.length; i++) {
    const excess = Math.abs(actual[i]! - expected[i]!) - (tolerance.atol + tolerance.rtol * Math.abs(expected[i]!));
    if (Number.isNaN(excess)) return Infinity;
    if (excess > worst) worst = excess;
  }
  return actual.length === 0 ? 0 : worst;
}
