export { TrtError, composeMessage } from "./trt-error.js";
export type { TrtErrorCode, ErrorParts } from "./trt-error.js";
export { RuntimeUnavailableError } from "./runtime-unavailable-error.js";
export type { RuntimeUnavailableDetails, UnavailableComponent } from "./runtime-unavailable-error.js";
export { TensorRTError } from "./tensorrt-error.js";
export { CudaError } from "./cuda-error.js";
export { InputError } from "./input-error.js";
export type { InputErrorDetails, InputProblem } from "./input-error.js";
export { ReleasedError } from "./released-error.js";
