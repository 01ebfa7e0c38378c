/**
 * Between .npy arrays and the runtime's inputs and output tensors. Which
 * numpy dtype feeds which engine dtype is decided here, with an error that
 * says how to convert in numpy, instead of leaving the user to decode a
 * TypedArray mismatch.
 */
import type { BindingSpec, HostInput, Tensor, TrtDataType } from "@trt/runtime";
import { NpyError } from "../npy/index.js";
import type { NpyArray, NpyDType } from "../npy/index.js";
import { CliError } from "./errors.js";

/** The numpy dtypes each engine dtype accepts from a file (float32 data is converted to half/bf16 by the runtime). */
const ACCEPTED: Readonly<Partial<Record<TrtDataType, readonly NpyDType[]>>> = {
  float: ["float32"],
  half: ["float16", "float32"],
  bf16: ["float32"],
  int8: ["int8"],
  uint8: ["uint8"],
  bool: ["bool"],
  int32: ["int32"],
  int64: ["int64"],
};

/** numpy's spelling of each engine dtype, for the conversion hint. */
const NUMPY_NAME: Readonly<Partial<Record<TrtDataType, string>>> = {
  float: "float32",
  half: "float16",
  bf16: "float32",
  int8: "int8",
  uint8: "uint8",
  bool: "bool_",
  int32: "int32",
  int64: "int64",
};

/** `array` as the input `spec`; CliError (INPUT_DTYPE) when its dtype cannot feed that input. */
export function npyToInput(array: NpyArray, spec: BindingSpec, source: string): HostInput {
  const accepted = ACCEPTED[spec.dtype];
  if (!accepted?.includes(array.dtype)) {
    const target = NUMPY_NAME[spec.dtype];
    throw new CliError(
      "INPUT_DTYPE",
      `input "${spec.name}" is ${spec.dtype} in the engine, but ${source} holds ${array.dtype}` +
        (target ? `; convert it in numpy: numpy.save(path, a.astype(numpy.${target}))` : `; .npy files cannot hold ${spec.dtype}`),
    );
  }
  return { data: array.data, shape: array.shape };
}

/**
 * An output tensor as a .npy array: its own type where numpy has one, half
 * as float16 bit patterns (exact), bf16 widened to float32 (exact; numpy has
 * no bfloat16). fp8, e8m0, int4 and fp4 have no numpy type and are refused.
 */
export async function tensorToNpy(tensor: Tensor): Promise<NpyArray> {
  const shape = tensor.shape;
  switch (tensor.dtype) {
    case "float":
    case "bf16":
      return { dtype: "float32", shape, data: (await tensor.toArray()) as Float32Array };
    case "half":
      return { dtype: "float16", shape, data: (await tensor.toArray({ raw: true })) as Uint16Array };
    case "int8":
      return { dtype: "int8", shape, data: (await tensor.toArray()) as Int8Array };
    case "uint8":
    case "bool":
      return { dtype: tensor.dtype, shape, data: (await tensor.toArray()) as Uint8Array };
    case "int32":
      return { dtype: "int32", shape, data: (await tensor.toArray()) as Int32Array };
    case "int64":
      return { dtype: "int64", shape, data: (await tensor.toArray()) as BigInt64Array };
    default:
      throw new NpyError("NPY_UNSUPPORTED_DTYPE", {
        expected: "an output numpy can hold (float, half, bf16, int8, uint8, bool, int32, int64)",
        found: tensor.dtype,
        hint: "Leave out --output-dir to print a summary instead",
      });
  }
}
