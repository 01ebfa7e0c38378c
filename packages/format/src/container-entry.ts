/**
 * @trt/format/container: the `.trtengine` container's structure (magic,
 * header, slot table, trailer), its chunked writer and step-wise reader, the
 * step-wise reader of any engine file (what `@trt/format/node` and a browser
 * Blob reader drive), the CRC-32, and the first-bytes tests of each kind of
 * file. The same objects as the root entry's, not copies.
 * @packageDocumentation
 */
export {
  CONTAINER_HEADER_BYTES,
  CONTAINER_MAGIC,
  CONTAINER_TRAILER_BYTES,
  CONTAINER_VERSION,
  MAX_CONTAINER_SLOTS,
  containerByteLength,
  containerChunks,
  decodeContainerSlots,
  hasContainerMagic,
  looksLikePickle,
} from "./container.js";
export { readContainerInSteps, type ContainerStepOptions } from "./container-reader.js";
export { engineFileSteps } from "./model-file.js";
export { crc32 } from "./crc32.js";
export { PLAN_HEADER_BYTES, looksLikePlan } from "./plan-header.js";
