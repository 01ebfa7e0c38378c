/** What kind of mistake a plan description holds. */
export type PlanErrorCode =
  | "invalid-name"
  | "duplicate-name"
  | "unknown-tensor"
  | "invalid-shape"
  | "invalid-profile"
  | "type-mismatch"
  | "shape-mismatch"
  | "invalid-layer"
  | "invalid-output"
  | "invalid-alias"
  | "invalid-option";

/**
 * Thrown by {@link buildPlan} and {@link resolvePlan} for a description the
 * emulator would refuse. `path` points into the description
 * (`layers[2]`, `profiles[0].x`), the message says what was expected.
 */
export class PlanError extends Error {
  override readonly name = "PlanError";

  constructor(
    readonly code: PlanErrorCode,
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
  }
}
