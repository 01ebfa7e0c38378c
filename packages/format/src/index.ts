/**
 * @trt/format: Torch-TensorRT's serialized engine tuple, the `.trtengine`
 * container, and pickled tuples. Runs in Node and in browsers: nothing here
 * imports from `node:`; file helpers live in `@trt/format/node`.
 * @packageDocumentation
 */
export {
  FormatError,
  FORMAT_ERROR_CODES,
  formatErrorMessage,
  isFormatError,
  type FormatErrorCode,
  type FormatErrorDetails,
  type FormatErrorRemedy,
} from "./errors.js";
export {
  ABI_VERSION,
  CURRENT_LAYOUT,
  LAYOUTS,
  SUPPORTED_ABI_VERSIONS,
  describeSupportedLayouts,
  layoutFor,
  type SlotName,
  type TupleLayout,
} from "./layouts.js";
export {
  RELEASED_ABI_VERSION,
  TORCH_TENSORRT_RELEASES,
  WRITABLE_ABI_VERSIONS,
  defaultWriteAbi,
  fieldsOutsideAbi,
  isWritableAbiVersion,
  resolveWriteAbi,
  writableLayout,
  type WritableAbiVersion,
} from "./write-abi.js";
export {
  DEVICE_INFO_DELIMITER,
  DEVICE_TYPE,
  deviceTypeName,
  formatDeviceInfo,
  parseDeviceInfo,
  type DeviceInfo,
} from "./device.js";
export {
  BINDING_DELIMITER,
  KNOWN_TARGET_PLATFORMS,
  formatAllocationStrategy,
  formatBindingNames,
  formatFlag,
  parseAllocationStrategy,
  parseBindingNames,
  parseFlag,
  type ResourceAllocationStrategy,
} from "./fields.js";
export { ALIASED_IO_FIELD_DELIMITER, formatAliasedIO, parseAliasedIO, type AliasKind, type AliasedIO } from "./aliased-io.js";
export { base64Decode, base64Encode } from "./base64.js";
export { crc32, type Crc32Function } from "./crc32.js";
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
export {
  CONTAINER_HEADER_BYTES,
  CONTAINER_MAGIC,
  CONTAINER_TRAILER_BYTES,
  CONTAINER_VERSION,
  MAX_CONTAINER_SLOTS,
  containerByteLength,
  containerChunks,
  decodeContainer,
  decodeContainerSlots,
  encodeContainer,
  hasContainerMagic,
  looksLikePickle,
  type DecodeContainerOptions,
  type EncodeContainerOptions,
} from "./container.js";
export { readContainerInSteps, type ContainerStepOptions, type ReadRequest } from "./container-reader.js";
export {
  pickledTupleChunks,
  readPickledTuple,
  readPickledTupleWithInfo,
  writePickledTuple,
  type PickledTupleInfo,
  type PickledTupleShape,
  type ReadPickledTupleOptions,
  type WritePickledTupleOptions,
} from "./pickled-tuple.js";
export type { PickleProtocol } from "./pickle/writer.js";
export { unpickle, type UnpickleOptions, type UnpickleResult } from "./pickle/reader.js";
export { PyDict, PyGlobal, PyObject, PySet, PyTuple, type PyValue } from "./pickle/values.js";
export { Utf8Text } from "./text.js";
export { MAX_VIEW_NODES, decodeMetadata, pyValueToJson, type JsonValue, type MetadataView } from "./metadata.js";
export { detectEngineFormat, type EngineFileKind } from "./sniff.js";
export { PLAN_HEADER_BYTES, looksLikePlan, readPlanHeader, type PlanHeader, type PlanProducer } from "./plan-header.js";
export {
  engineFileSteps,
  readEngineBytes,
  summarizeArchiveEngine,
  type ArchiveEngineSummary,
  type EngineFileRead,
  type EngineFileSource,
  type ReadEngineFileOptions,
} from "./model-file.js";
export {
  describeFormat as describeTorchArchiveFormat,
  readTorchArchive,
  selectArchiveEngine,
  type ArchiveEngine,
  type TorchArchive,
  type TorchArchiveFormat,
  type TorchArchiveOptions,
} from "./torch/torch-archive.js";
export { findEngineObjects, isEngineClass, type EngineObject } from "./torch/engine-objects.js";
export { readZipDirectory, readZipEntry, runStepsOnBytes, type ZipDirectory, type ZipReadOptions } from "./zip/zip-steps.js";
export { looksLikeZip, type ZipEntry } from "./zip/records.js";
