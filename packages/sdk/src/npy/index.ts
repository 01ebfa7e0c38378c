/**
 * numpy's .npy format, the way arrays travel between Python and the `trt`
 * CLI: versions 1.0, 2.0 (and 3.0), little-endian float32, float16, int8,
 * uint8, int32, int64 and bool, C order. Fortran order, big-endian data and
 * every other dtype are refused with an {@link NpyError} that says how to
 * convert the array in numpy.
 */
export { NPY_TYPES, descrOf } from "./dtypes.js";
export type { NpyArray, NpyData, NpyDataOf, NpyDType } from "./dtypes.js";
export { NpyError, isNpyError } from "./errors.js";
export type { NpyErrorCode, NpyErrorDetails } from "./errors.js";
export { NPY_MAGIC, readNpyHeader, formatNpyHeader } from "./header.js";
export type { NpyHeader } from "./header.js";
export { decodeNpy } from "./read.js";
export { encodeNpy } from "./write.js";
export { readNpyFile, writeNpyFile } from "./file.js";
