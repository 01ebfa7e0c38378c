/**
 * @trt/format: Torch-TensorRT's serialized engine tuple, the `.trtengine`
 * container, and pickled tuples. Runs in Node and in browsers: nothing here
 * imports from `node:`; file helpers live in `@trt/format/node`.
 *
 * This entry is what programs use: read any engine file's bytes, make,
 * encode and decode a tuple, write it as a container or a pickle, decode its
 * metadata and device record, tell file kinds apart, and the typed error.
 * The layers under it have entries of their own: `@trt/format/tuple` (slot
 * codecs and ABI layouts), `@trt/format/container` (the container's structure
 * and step-wise readers), `@trt/format/pickle` (the pickle machine) and
 * `@trt/format/zip` (zip and torch archives).
 * @packageDocumentation
 */
export {
  FormatError,
  FORMAT_ERROR_CODES,
  formatErrorMessage,
  isFormatError,
  rephraseFormatError,
  type FormatErrorCode,
  type FormatErrorDetails,
  type FormatErrorRemedy,
} from "./errors.js";
export { ABI_VERSION, SUPPORTED_ABI_VERSIONS, describeSupportedLayouts, type SlotName, type TupleLayout } from "./layouts.js";
export { RELEASED_ABI_VERSION, WRITABLE_ABI_VERSIONS, type WritableAbiVersion } from "./write-abi.js";
export { DEVICE_TYPE, deviceTypeName, formatDeviceInfo, parseDeviceInfo, type DeviceInfo } from "./device.js";
export { KNOWN_TARGET_PLATFORMS, type ResourceAllocationStrategy } from "./fields.js";
export type { AliasKind, AliasedIO } from "./aliased-io.js";
export type { Crc32Function } from "./crc32.js";
export {
  LEGACY_DEFAULTS,
  createSerializedEngine,
  decodeTuple,
  encodeTuple,
  type DecodeTupleOptions,
  type EncodeTupleOptions,
  type RawTuple,
  type SerializedEngine,
  type SerializedEngineInit,
} from "./tuple.js";
export { decodeContainer, encodeContainer, type DecodeContainerOptions, type EncodeContainerOptions } from "./container.js";
export type { ReadRequest } from "./container-reader.js";
export {
  readPickledTuple,
  writePickledTuple,
  type PickledTupleInfo,
  type PickledTupleShape,
  type ReadPickledTupleOptions,
  type WritePickledTupleOptions,
} from "./pickled-tuple.js";
export type { PickleProtocol } from "./pickle/writer.js";
export type { PyValue } from "./pickle/values.js";
export { decodeMetadata, type JsonValue, type MetadataView } from "./metadata.js";
export { detectEngineFormat, type EngineFileKind } from "./sniff.js";
export { readPlanHeader, type PlanHeader, type PlanProducer } from "./plan-header.js";
export { readEngineBytes, type ArchiveEngineSummary, type EngineFileRead, type EngineFileSource, type ReadEngineFileOptions } from "./model-file.js";
export type { TorchArchiveFormat } from "./torch/torch-archive.js";
