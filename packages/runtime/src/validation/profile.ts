/**
 * Picking the optimization profile for a set of input shapes: the first
 * profile whose min..max holds every input, or the one the caller names.
 * When none fits, the error shows each profile's ranges next to the shapes.
 */
import type { ProfileShape } from "../engine/contract.js";
import { InputError } from "../errors/index.js";
import type { PreparedInput } from "./prepare.js";
import { formatShape } from "../tensor/shape.js";

function fits(shape: readonly number[], range: ProfileShape | undefined): boolean {
  if (!range) return true;
  for (let d = 0; d < shape.length; d++) {
    const v = shape[d]!;
    if (v < range.min[d]! || v > range.max[d]!) return false;
  }
  return true;
}

function fitsProfile(inputs: readonly PreparedInput[], profile: number): boolean {
  for (const input of inputs) if (!fits(input.shape, input.spec.profiles[profile])) return false;
  return true;
}

/** "[1..8, 4]" */
export function formatRange(range: ProfileShape): string {
  return `[${range.min.map((lo, d) => (lo === range.max[d] ? `${lo}` : `${lo}..${range.max[d]}`)).join(", ")}]`;
}

/** The profile index for `inputs`; InputError (problem "shape") when `explicit` is out of range or no profile holds the shapes. */
export function selectProfile(inputs: readonly PreparedInput[], profileCount: number, explicit?: number): number {
  if (explicit !== undefined) {
    if (!Number.isInteger(explicit) || explicit < 0 || explicit >= profileCount) {
      throw new InputError({
        problem: "shape",
        tensor: null,
        expected: `an optimization profile index from 0 to ${profileCount - 1}`,
        found: String(explicit),
        fix: "Pick one of the engine's profiles, or leave `profile` out to pick one by shape.",
      });
    }
    if (fitsProfile(inputs, explicit)) return explicit;
    throw outOfProfile(inputs, [explicit]);
  }
  for (let p = 0; p < profileCount; p++) if (fitsProfile(inputs, p)) return p;
  throw outOfProfile(inputs, Array.from({ length: profileCount }, (_, p) => p));
}

function outOfProfile(inputs: readonly PreparedInput[], profiles: readonly number[]): InputError {
  // Name the tensor that is out of range in the first profile considered: with one profile that is the whole story.
  const first = profiles[0]!;
  const culprit = inputs.find((i) => !fits(i.shape, i.spec.profiles[first]));
  const describe = (p: number) =>
    `profile ${p}: ${inputs.map((i) => `${i.spec.name} ${i.spec.profiles[p] ? formatRange(i.spec.profiles[p]!) : "any"}`).join(", ")}`;
  return new InputError({
    problem: "shape",
    tensor: profiles.length === 1 ? (culprit?.spec.name ?? null) : null,
    expected: `shapes within ${profiles.length === 1 ? "the" : "one"} optimization profile (${profiles.map(describe).join("; ")})`,
    found: inputs.map((i) => `${i.spec.name} ${formatShape(i.shape)}`).join(", "),
    fix:
      profiles.length === 1
        ? "Keep every dim within the profile's min..max, or rebuild the engine with a profile that covers these shapes."
        : "Use shapes that fit one profile, or rebuild the engine with a profile that covers them.",
  });
}
