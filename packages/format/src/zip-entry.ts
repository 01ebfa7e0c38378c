/**
 * @trt/format/zip: zip archives and the torch archives in them (TorchScript,
 * ExportedProgram, torch.save): the central directory and entries read step
 * by step, the engines Torch-TensorRT put inside and the choice of one. The
 * same objects as the root entry's, not copies.
 * @packageDocumentation
 */
export { readZipDirectory, readZipEntry, runStepsOnBytes, type ZipDirectory, type ZipReadOptions } from "./zip/zip-steps.js";
export { looksLikeZip, type ZipEntry } from "./zip/records.js";
export {
  describeFormat as describeTorchArchiveFormat,
  readTorchArchive,
  selectArchiveEngine,
  type ArchiveEngine,
  type TorchArchive,
  type TorchArchiveOptions,
} from "./torch/torch-archive.js";
export { findEngineObjects, isEngineClass, type EngineObject } from "./torch/engine-objects.js";
export { summarizeArchiveEngine } from "./model-file.js";
