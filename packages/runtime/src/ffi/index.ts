export { FfiBackend } from "./backend.js";
export type { FfiBackendOptions } from "./backend.js";
export { FfiEngine } from "./engine.js";
export { FfiContext } from "./context.js";
export { loadTensorRT, libraryCandidates, NVINFER_PATH_ENV } from "./library.js";
export type { EmulatorInfo, LoadedTensorRT, TensorRTLoadOptions } from "./library.js";
export { selectAbiTable, parseLibVersion, formatVersion, hasSince } from "./version.js";
export type { LibraryVersion } from "./version.js";
export { severityName } from "./logger.js";
