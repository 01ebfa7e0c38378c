import { checkShape } from "./checks.js";
import type { PlanDescription, ShapeRange } from "./description.js";
import type { DTypeName } from "./dtype.js";
import { PlanError } from "./errors.js";
import { LIMITS } from "./format.js";

/** What the profile resolver needs to know about an input. */
export interface ProfileInput {
  readonly name: string;
  readonly dtype: DTypeName;
  readonly shape: readonly number[];
}

/** Per input ordinal, the range of one profile. */
export type PlanProfile = readonly ShapeRange[];

/**
 * The optimization profiles of a plan, one range per input in input order:
 * given ranges checked (rank, min <= opt <= max, static dims pinned), static
 * inputs filled in, and one profile of the static shapes when none is given
 * and no input is dynamic.
 */
export function resolveProfiles(desc: PlanDescription, inputs: readonly ProfileInput[]): PlanProfile[] {
  const specs = desc.profiles ?? [];
  const dynamic = inputs.filter((t) => t.shape.some((d) => d < 0));
  if (specs.length === 0) {
    const first = dynamic[0];
    if (first) throw new PlanError("invalid-profile", "profiles", `dynamic input '${first.name}' needs an optimization profile`);
    return [inputs.map((t) => ({ min: t.shape, opt: t.shape, max: t.shape }))];
  }
  if (specs.length > LIMITS.profiles) throw new PlanError("invalid-profile", "profiles", `at most ${LIMITS.profiles} profiles`);
  return specs.map((spec, p) => {
    for (const key of Object.keys(spec)) {
      if (!inputs.some((t) => t.name === key)) {
        throw new PlanError("invalid-profile", `profiles[${p}].${key}`, `'${key}' is not an input`);
      }
    }
    return inputs.map((t) => {
      const path = `profiles[${p}].${t.name}`;
      const range = spec[t.name];
      if (!range) {
        if (t.shape.some((d) => d < 0)) throw new PlanError("invalid-profile", path, `dynamic input '${t.name}' has no range`);
        return { min: t.shape, opt: t.shape, max: t.shape };
      }
      const [min, opt, max] = [range.min, range.opt, range.max].map((s) => checkShape(path, s, false)) as [number[], number[], number[]];
      for (const s of [min, opt, max]) {
        if (s.length !== t.shape.length) {
          throw new PlanError("invalid-profile", path, `rank ${s.length} does not match the input's rank ${t.shape.length}`);
        }
      }
      t.shape.forEach((d, i) => {
        const [a, b, c] = [min[i] as number, opt[i] as number, max[i] as number];
        if (!(a <= b && b <= c)) throw new PlanError("invalid-profile", path, `dimension ${i} needs min <= opt <= max, got ${a}, ${b}, ${c}`);
        if (d >= 0 && (a !== d || c !== d)) throw new PlanError("invalid-profile", path, `dimension ${i} is static (${d}), got [${a}, ${c}]`);
      });
      return { min, opt, max };
    });
  });
}
