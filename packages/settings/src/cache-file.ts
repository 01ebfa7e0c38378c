/**
 * The runtime-cache file format. TensorRT hands the runtime an opaque blob;
 * this wraps it so that a truncated, foreign or damaged file is detected
 * instead of being fed to TensorRT.
 *
 * ```
 * offset  size  field
 *      0     8  magic, ASCII "TRTCACHE"
 *      8     4  format version, uint32 little-endian (1)
 *     12     4  reserved, uint32, must be 0
 *     16     8  payload length n, uint64 little-endian
 *     24     n  payload: TensorRT's serialized runtime cache, unchanged
 *   24+n     4  CRC-32 (zlib's) of bytes [0, 24+n), uint32 little-endian
 * ```
 *
 * A file is valid only if it is exactly `28 + n` bytes long and every field
 * checks out.
 * @module
 */
import { crc32 } from "./crc32.js";
import { SettingsError } from "./errors.js";

/** The eight bytes every runtime-cache file starts with ("TRTCACHE"). */
export const RUNTIME_CACHE_MAGIC: Uint8Array = Uint8Array.of(0x54, 0x52, 0x54, 0x43, 0x41, 0x43, 0x48, 0x45);

/** The format version this package writes, and the only one it reads. */
export const RUNTIME_CACHE_FORMAT_VERSION = 1;

const HEADER_BYTES = 24;
const CHECKSUM_BYTES = 4;

/** Wraps a payload in the cache file format; returns the complete file contents. */
export function encodeRuntimeCacheFile(payload: Uint8Array): Uint8Array {
  const file = new Uint8Array(HEADER_BYTES + payload.length + CHECKSUM_BYTES);
  const view = new DataView(file.buffer);
  file.set(RUNTIME_CACHE_MAGIC, 0);
  view.setUint32(8, RUNTIME_CACHE_FORMAT_VERSION, true);
  view.setUint32(12, 0, true);
  view.setBigUint64(16, BigInt(payload.length), true);
  file.set(payload, HEADER_BYTES);
  const end = HEADER_BYTES + payload.length;
  view.setUint32(end, crc32(file.subarray(0, end)), true);
  return file;
}

function corrupt(reason: string): SettingsError {
  return new SettingsError("TRT_RUNTIME_CACHE_CORRUPT", `Not a valid runtime-cache file: ${reason}.`);
}

/**
 * Checks a complete cache file and returns its payload (a view into `file`, not
 * a copy). Throws a {@link SettingsError} with code `TRT_RUNTIME_CACHE_CORRUPT`
 * saying what is wrong: too short, wrong magic, unknown version, reserved bits
 * set, a length that disagrees with the file size, or a checksum mismatch.
 */
export function decodeRuntimeCacheFile(file: Uint8Array): Uint8Array {
  if (file.length < HEADER_BYTES + CHECKSUM_BYTES) {
    throw corrupt(`${file.length} bytes is shorter than the ${HEADER_BYTES + CHECKSUM_BYTES}-byte minimum`);
  }
  for (let i = 0; i < RUNTIME_CACHE_MAGIC.length; i++) {
    if (file[i] !== RUNTIME_CACHE_MAGIC[i]) throw corrupt('it does not start with "TRTCACHE"');
  }
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const version = view.getUint32(8, true);
  if (version !== RUNTIME_CACHE_FORMAT_VERSION) {
    throw corrupt(`format version ${version}, but this reader supports only version ${RUNTIME_CACHE_FORMAT_VERSION}`);
  }
  if (view.getUint32(12, true) !== 0) throw corrupt("reserved header bits are set");
  const declared = view.getBigUint64(16, true);
  const actual = BigInt(file.length - HEADER_BYTES - CHECKSUM_BYTES);
  if (declared !== actual) {
    throw corrupt(`the header declares a ${declared}-byte payload but the file holds ${actual} (truncated or extended)`);
  }
  const end = file.length - CHECKSUM_BYTES;
  const stored = view.getUint32(end, true);
  const computed = crc32(file.subarray(0, end));
  if (stored !== computed) throw corrupt("the checksum does not match its contents");
  return file.subarray(HEADER_BYTES, end);
}
