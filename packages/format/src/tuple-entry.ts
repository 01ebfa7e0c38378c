/**
 * @trt/format/tuple: the engine tuple slot by slot: the ABI layouts and the
 * ABI a writer targets, the codec of each field (device record, binding
 * lists, flags, allocation strategy, aliased I/O) and the text and base64
 * helpers they use. The same objects as the root entry's, not copies.
 * @packageDocumentation
 */
export { CURRENT_LAYOUT, LAYOUTS, layoutFor } from "./layouts.js";
export { TORCH_TENSORRT_RELEASES, defaultWriteAbi, fieldsOutsideAbi, isWritableAbiVersion, resolveWriteAbi, writableLayout } from "./write-abi.js";
export { DEVICE_INFO_DELIMITER } from "./device.js";
export {
  BINDING_DELIMITER,
  formatAllocationStrategy,
  formatBindingNames,
  formatFlag,
  parseAllocationStrategy,
  parseBindingNames,
  parseFlag,
} from "./fields.js";
export { ALIASED_IO_FIELD_DELIMITER, formatAliasedIO, parseAliasedIO } from "./aliased-io.js";
export { base64Decode, base64Encode } from "./base64.js";
export { Utf8Text } from "./text.js";
