import { PlanError } from "./errors.js";
import { LIMITS } from "./format.js";

// Checks shared by the resolver's parts: each returns the checked value or
// throws a PlanError at `path`.

/** A tensor, layer or engine name: 1..1024 UTF-8 bytes, no NUL. */
export function checkName(path: string, name: unknown): string {
  if (typeof name !== "string") throw new PlanError("invalid-name", path, "a name must be a string");
  const bytes = new TextEncoder().encode(name).length;
  if (bytes === 0 || bytes > LIMITS.nameLength || name.includes("\0")) {
    throw new PlanError("invalid-name", path, `name "${name}" must be 1..${LIMITS.nameLength} bytes without NUL`);
  }
  return name;
}

/** A byte count option: integer in [0, 2^40]. */
export function checkSize(path: string, v: number | undefined): number {
  if (v === undefined) return 0;
  if (!Number.isSafeInteger(v) || v < 0 || v > LIMITS.tensorBytes) {
    throw new PlanError("invalid-option", path, `must be an integer in [0, 2^40], got ${v}`);
  }
  return v;
}

/** A shape: at most 8 integer dims, each >= 0 (or -1 when `allowDynamic`). */
export function checkShape(path: string, shape: readonly number[], allowDynamic: boolean): number[] {
  if (!Array.isArray(shape) || shape.length > LIMITS.rank) {
    throw new PlanError("invalid-shape", path, `a shape is an array of at most ${LIMITS.rank} dimensions`);
  }
  for (const d of shape) {
    if (!Number.isSafeInteger(d) || d < (allowDynamic ? -1 : 0) || d > LIMITS.tensorBytes) {
      throw new PlanError("invalid-shape", path, `dimension ${d} is not ${allowDynamic ? "-1 or " : ""}a non-negative integer`);
    }
  }
  return [...shape];
}
