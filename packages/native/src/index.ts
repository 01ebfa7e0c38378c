/**
 * @trt/native: the C++ engine implementation of the TensorRT runtime for
 * Node.js. `loadNative()` gives the backend (an implementation of the engine
 * contract, declared here and used by @trt/runtime) or a
 * NativeUnavailableError that says why not and what to do.
 */
export { addonCandidates, BINDING_VERSION, loadAddon, loadNative, NAPI_VERSION, probeNative } from "./loader.js";
export type { LoadNativeOptions, NativeBinding, ProbeResult } from "./loader.js";
export { ErrorCodes, hasErrorCode, isInputError, isTensorRTError, NativeUnavailableError, RuntimeUnavailableError } from "./errors.js";
export type { ErrorCode, InputErrorFields, InputErrorProblem, TensorRTErrorFields, UnavailableReason } from "./errors.js";
export { ioNames, packInputShapes } from "./request.js";
export type * from "./engine-contract.js";
export type * from "./types.js";
