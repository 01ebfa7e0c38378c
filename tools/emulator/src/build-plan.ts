import type { PlanDescription } from "./description.js";
import { encodePlan } from "./encode.js";
import { resolvePlan } from "./resolve.js";

/**
 * Builds an emulator plan (the bytes `IRuntime::deserializeCudaEngine`
 * takes) from a description. Throws {@link PlanError} for a description the
 * emulator would refuse, naming the offending part.
 *
 * @example
 * const plan = buildPlan({
 *   inputs: [{ name: "x", dtype: "float32", shape: [-1, 4] }],
 *   profiles: [{ x: { min: [1, 4], opt: [8, 4], max: [64, 4] } }],
 *   layers: [{ op: "relu", name: "act", input: "x", output: "y" }],
 *   outputs: ["y"],
 * });
 */
export function buildPlan(description: PlanDescription): Uint8Array {
  return encodePlan(resolvePlan(description));
}
