/**
 * Inputs for `trt bench` when no .npy files are given: each dynamic dim set
 * from `--shape`, else from the first optimization profile's opt shape (the
 * shape the engine was tuned for), filled with fixed pseudo-random values so
 * that two runs of the same command measure the same work.
 */
import type { BindingSpec, HostArray, HostInput, TensorRTModule } from "@trt/runtime";
import { CliError } from "./errors.js";
import { describeBinding, pairsByInput, parseDims } from "./input-args.js";

/** The shape `spec` runs at: `override` if given (checked against static dims), else profile 0's opt. */
export function benchShape(spec: BindingSpec, override: readonly number[] | undefined): number[] {
  if (override) {
    const fits = override.length === spec.shape.length && spec.shape.every((d, i) => d === -1 || d === override[i]);
    if (!fits) throw new CliError("BAD_ARGUMENT", `--shape ${spec.name}=${override.join("x")} does not fit ${describeBinding(spec)}`);
    return [...override];
  }
  if (!spec.shape.includes(-1)) return [...spec.shape];
  const opt = spec.profiles[0]?.opt;
  if (!opt) throw new CliError("BAD_ARGUMENT", `input ${describeBinding(spec)} is dynamic and has no profile; pass --shape ${spec.name}=DIMS`);
  return [...opt];
}

/** Deterministic values in [-1, 1) for float types, small integers otherwise (xorshift32 from a per-input seed). */
function fill(spec: BindingSpec, count: number, seed: number): HostArray {
  let x = (seed * 2654435761) >>> 0 || 1;
  const next = (): number => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
  switch (spec.dtype) {
    case "float":
    case "half":
    case "bf16":
      return Float32Array.from({ length: count }, () => next() * 2 - 1);
    case "int8":
      return Int8Array.from({ length: count }, () => Math.floor(next() * 16) - 8);
    case "uint8":
    case "fp8":
    case "e8m0":
      return Uint8Array.from({ length: count }, () => Math.floor(next() * 16));
    case "bool":
      return Uint8Array.from({ length: count }, () => (next() < 0.5 ? 0 : 1));
    case "int32":
      return Int32Array.from({ length: count }, () => Math.floor(next() * 256) - 128);
    case "int64":
      return BigInt64Array.from({ length: count }, () => BigInt(Math.floor(next() * 256) - 128));
    default:
      throw new CliError("BAD_ARGUMENT", `cannot make data for ${describeBinding(spec)}; pass --input ${spec.name}=FILE.npy`);
  }
}

/** Generated data for every input of `module` not in `skip`, at the shapes `--shape` and the profiles give. */
export function syntheticInputs(module: TensorRTModule, shapeArgs: readonly string[], skip: ReadonlySet<string>): Record<string, HostInput> {
  const shapes = pairsByInput(module, shapeArgs, "--shape");
  const inputs: Record<string, HostInput> = {};
  module.inputs.forEach((spec, i) => {
    if (skip.has(spec.name)) return;
    const text = shapes.get(spec.name);
    const shape = benchShape(spec, text === undefined ? undefined : parseDims(text, `--shape ${spec.name}=`));
    // Packed 4-bit types store two values per byte.
    const elements = shape.reduce((a, b) => a * b, 1);
    const count = spec.dtype === "int4" || spec.dtype === "fp4" ? Math.ceil(elements / 2) : elements;
    inputs[spec.name] = { data: fill(spec, count, i + 1), shape };
  });
  return inputs;
}
