/**
 * Checks one input value against its binding (data type, rank, the engine's
 * fixed dims, data length, device) and says how the engine will get it:
 * in place from device memory, or copied in from JS memory.
 */
import { InputError } from "../errors/index.js";
import { ReleasedError } from "../errors/index.js";
import type { BindingSpec } from "./bindings.js";
import type { ComputeDevice } from "../placement/compute-device.js";
import { acceptedArrays, hostArrayName, toStored } from "../tensor/host-array.js";
import type { HostArray } from "../tensor/host-array.js";
import type { DeviceStorage } from "../tensor/storage.js";
import { checkLength, Tensor } from "../tensor/tensor.js";
import type { HostParts, InputValue } from "./inputs.js";
import { elementCount, isPacked, storedLength } from "../tensor/dtype.js";
import { checkShape, formatShape } from "../tensor/shape.js";

/** An input ready for the engine: its shape, and either device storage to use in place or host data to copy in. */
export interface PreparedInput {
  readonly spec: BindingSpec;
  readonly shape: readonly number[];
  /** Device memory on the module's device, used in place. */
  readonly storage: DeviceStorage | null;
  /**
   * Data in its stored layout (half and bf16 as 16-bit patterns), to copy to the device: one
   * array, or the parts of a {@link HostParts} input, copied one after another (copy-host-input.ts).
   */
  readonly host: readonly HostArray[] | null;
}

/** Validated inputs of one run. */
export interface PreparedRun {
  /** In binding order. */
  readonly inputs: readonly PreparedInput[];
  /** ExecuteRequest.inputShapes: per input in engine I/O order, rank then dims. */
  readonly packed: Float64Array;
  readonly profile: number;
}

/** Validates `value` for `spec` on `device`; InputError (dtype, rank, shape, size, device) when it does not fit. */
export function prepareInput(spec: BindingSpec, value: InputValue, device: ComputeDevice): PreparedInput {
  if (value instanceof Tensor) return prepareTensor(spec, value, device);
  if (typeof value === "object" && value !== null && "parts" in value && "shape" in value) return prepareParts(spec, value);
  let data: HostArray;
  let shape: readonly number[];
  if (ArrayBuffer.isView(value)) {
    data = value as HostArray;
    if (spec.shape.includes(-1)) {
      throw new InputError({
        problem: "shape",
        tensor: spec.name,
        expected: `a shape for this input (it has dynamic dims: ${formatShape(spec.shape)})`,
        found: `a bare ${value.constructor.name} without a shape`,
        fix: `Pass { data, shape } or a Tensor for "${spec.name}".`,
      });
    }
    shape = spec.shape;
  } else if (typeof value === "object" && value !== null && "data" in value && "shape" in value) {
    data = value.data;
    shape = checkShape(value.shape, spec.name);
  } else {
    throw new InputError({
      problem: "dtype",
      tensor: spec.name,
      expected: "a Tensor, { data, shape }, { parts, shape }, or a typed array",
      found: value === null ? "null" : typeof value === "object" ? ((value as object).constructor?.name ?? "an object") : typeof value,
      fix: "Wrap the data, e.g. { data: Float32Array.from(values), shape: [2, 3] }.",
    });
  }
  checkArray(spec, data);
  checkDims(spec, shape);
  checkLength(data, spec.dtype, shape, spec.name);
  return { spec, shape, storage: null, host: [toStored(data, spec.dtype)] };
}

/** `{ parts, shape }`: every part an accepted array, their lengths adding up to the shape's. */
function prepareParts(spec: BindingSpec, value: HostParts): PreparedInput {
  const { parts } = value;
  if (!Array.isArray(parts) || parts.length === 0) {
    throw new InputError({
      problem: "dtype",
      tensor: spec.name,
      expected: "parts: a non-empty array of typed arrays",
      found: Array.isArray(parts) ? "an empty array" : parts === null ? "null" : typeof parts,
      fix: "Pass { parts: [rows0, rows1, ...], shape } with the shape of the whole.",
    });
  }
  for (const part of parts) checkArray(spec, part);
  const shape = checkShape(value.shape, spec.name);
  checkDims(spec, shape);
  checkPartsLength(parts, spec, shape);
  return { spec, shape, storage: null, host: parts.map((part) => toStored(part, spec.dtype)) };
}

/** The parts' lengths add up to the shape's (in elements; in bytes for the packed 4-bit types). */
function checkPartsLength(parts: readonly HostArray[], spec: BindingSpec, shape: readonly number[]): void {
  const packed = isPacked(spec.dtype);
  const expected = storedLength(spec.dtype, elementCount(shape));
  let found = 0;
  for (const part of parts) found += part.length;
  if (found !== expected) {
    throw new InputError({
      problem: "size",
      tensor: spec.name,
      expected: `parts of ${expected} ${packed ? "bytes" : "elements"} in all (shape ${formatShape(shape)})`,
      found: `${found} in ${parts.length} part${parts.length === 1 ? "" : "s"}`,
      fix: "Make the parts' lengths add up to the shape's, or fix the shape.",
    });
  }
}

/** A typed array of a kind this input accepts. */
function checkArray(spec: BindingSpec, data: unknown): void {
  const name = hostArrayName(data);
  const accepted = acceptedArrays(spec.dtype);
  if (name === null || !accepted.includes(name)) {
    throw new InputError({
      problem: "dtype",
      tensor: spec.name,
      expected: `${accepted.join(" or ")} (the input is ${spec.dtype})`,
      found: name ?? (ArrayBuffer.isView(data) ? data.constructor.name : typeof data),
      fix: `Convert the data, e.g. ${accepted[0]}.from(values).`,
    });
  }
}

function prepareTensor(spec: BindingSpec, tensor: Tensor, device: ComputeDevice): PreparedInput {
  if (tensor.disposed) throw new ReleasedError("tensor", `use it as input "${spec.name}"`);
  if (tensor.dtype !== spec.dtype) {
    throw new InputError({
      problem: "dtype",
      tensor: spec.name,
      expected: spec.dtype,
      found: tensor.dtype,
      fix: `Create the tensor with dtype "${spec.dtype}".`,
    });
  }
  checkDims(spec, tensor.shape);
  const storage = tensor.deviceStorage;
  if (storage && !storage.device.sameAs(device)) {
    throw new InputError({
      problem: "device",
      tensor: spec.name,
      expected: `a tensor on ${device.name} (the module's device) or in JS memory`,
      found: `a tensor on ${storage.device.name}`,
      fix: `Move it first: await tensor.copyTo(module.device).`,
    });
  }
  return { spec, shape: tensor.shape, storage, host: storage ? null : [tensor.hostData!] };
}

/** Rank and the engine's fixed dims (profiles are checked for all inputs together afterwards). */
function checkDims(spec: BindingSpec, shape: readonly number[]): void {
  if (shape.length !== spec.shape.length) {
    throw new InputError({
      problem: "rank",
      tensor: spec.name,
      expected: `rank ${spec.shape.length} (${formatShape(spec.shape)}, -1 = any)`,
      found: `rank ${shape.length} (${formatShape(shape)})`,
      fix: "Reshape the data to the engine's rank.",
    });
  }
  for (let d = 0; d < shape.length; d++) {
    const want = spec.shape[d]!;
    if (want !== -1 && shape[d] !== want) {
      throw new InputError({
        problem: "shape",
        tensor: spec.name,
        expected: `${formatShape(spec.shape)} (dim ${d} is fixed at ${want})`,
        found: formatShape(shape),
        fix: `Only the -1 dims may vary; dim ${d} must be ${want}.`,
      });
    }
  }
}
