/**
 * @trt/format/node: file helpers for Node.js (the core entry stays browser-safe).
 * @packageDocumentation
 */
export { hasNativeCrc32, nodeCrc32 } from "./node/checksum.js";
export {
  MAX_ENGINE_BYTES,
  readEngineFile,
  readEngineFileSync,
  readEngineFileWithSource,
  readEngineFileWithSourceSync,
} from "./node/read.js";
export type { EngineFileRead, EngineFileSource, ReadEngineFileOptions } from "./node/steps.js";
export { writeEngineFile, writeEngineFileSync, type WriteEngineFileOptions } from "./node/write.js";
