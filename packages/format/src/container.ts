import { crc32, type Crc32Function } from "./crc32.js";
import { fail } from "./errors.js";
import { CURRENT_LAYOUT } from "./layouts.js";
import { utf8Encode } from "./text.js";
import { decodeTuple, encodeTuple, type SerializedEngine } from "./tuple.js";
import { concatChunks } from "./concat.js";

// Byte layout (README "Container layout" documents it in full):
//   0   8  magic 89 54 52 54 0D 0A 1A 0A   ("\x89TRT\r\n\x1a\n", PNG-style: the high
//          byte and CR LF / ^Z catch 7-bit and text-mode transfers)
//   8   2  container version, u16 little-endian (1)
//  10   2  flags, u16 LE, reserved, must be 0
//  12   4  slot count N, u32 LE (1..64)
//  16      N times: slot length L, u64 LE; then L bytes (text as UTF-8, engine raw)
//  end-8 4 CRC-32 (zlib's) of every byte before it, u32 LE
//  end-4 4 end marker "TEND"

/** First eight bytes of every container file. */
export const CONTAINER_MAGIC: Uint8Array = Uint8Array.of(0x89, 0x54, 0x52, 0x54, 0x0d, 0x0a, 0x1a, 0x0a);
/** The container version this package writes and reads. */
export const CONTAINER_VERSION = 1;
/** Bytes before the first slot. */
export const CONTAINER_HEADER_BYTES = 16;
/** Bytes after the last slot: CRC-32 and end marker. */
export const CONTAINER_TRAILER_BYTES = 8;
/** Most slots a container may declare; bounds work on a corrupt count. */
export const MAX_CONTAINER_SLOTS = 64;
const END_MARKER = Uint8Array.of(0x54, 0x45, 0x4e, 0x44); // "TEND"

/** Options for writing a container. */
export interface EncodeContainerOptions {
  /** CRC-32 implementation; the Node subpath passes zlib's native one. */
  checksum?: Crc32Function;
  /** The Torch-TensorRT ABI of the tuple inside (see encodeTuple's `abi`); default: the one it was read from. */
  abi?: string;
}

/** Options for reading a container. */
export interface DecodeContainerOptions {
  /** Check the CRC-32 (default true). Turning it off saves one pass over the engine. */
  verifyChecksum?: boolean;
  /** CRC-32 implementation; the Node subpath passes zlib's native one. */
  checksum?: Crc32Function;
}

const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join(" ");

/** True when `bytes` starts with {@link CONTAINER_MAGIC}. */
export function hasContainerMagic(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && CONTAINER_MAGIC.every((b, i) => bytes[i] === b);
}

/** True when `bytes` starts like a pickle of protocol 2 to 5 (PROTO opcode). */
export function looksLikePickle(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x80 && (bytes[1] as number) >= 2 && (bytes[1] as number) <= 5;
}

/** The 16 header bytes for `slotCount` slots. */
export function encodeContainerHeader(slotCount: number): Uint8Array {
  const out = new Uint8Array(CONTAINER_HEADER_BYTES);
  out.set(CONTAINER_MAGIC, 0);
  const view = new DataView(out.buffer);
  view.setUint16(8, CONTAINER_VERSION, true);
  view.setUint16(10, 0, true);
  view.setUint32(12, slotCount, true);
  return out;
}

/** Validates the header at the start of `bytes` and returns its slot count. */
export function parseContainerHeader(bytes: Uint8Array): { version: number; slotCount: number } {
  const prefix = bytes.subarray(0, 8);
  if (!hasContainerMagic(bytes)) {
    if (bytes.length > 0 && bytes.length < 8 && prefix.every((b, i) => CONTAINER_MAGIC[i] === b)) {
      fail("TRUNCATED", "a 16-byte container header", `${bytes.length} bytes`, "The file was cut short; copy it again.");
    }
    const expected = `container magic ${hex(CONTAINER_MAGIC)}`;
    const found = bytes.length === 0 ? "an empty input" : hex(prefix);
    if (looksLikePickle(bytes)) {
      fail("BAD_MAGIC", expected, found, "This is a Python pickle, not a container: read it with readPickledTuple() or readEngineFile().");
    }
    // Raw engine bytes land here too (they have no magic of their own to tell them by). The remedy
    // lets a tool name its own command for the wrapping; once raw plans load directly, this is
    // where they would be told apart instead.
    const hint = "This is not a .trtengine container; check the path, or convert the engine with writeEngineFile().";
    fail("BAD_MAGIC", expected, found, hint, "WRAP_RAW_ENGINE");
  }
  if (bytes.length < CONTAINER_HEADER_BYTES) {
    fail("TRUNCATED", "a 16-byte container header", `${bytes.length} bytes`, "The file was cut short; copy it again.");
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, CONTAINER_HEADER_BYTES);
  const version = view.getUint16(8, true);
  if (version !== CONTAINER_VERSION) {
    fail(
      "UNSUPPORTED_CONTAINER_VERSION",
      `container version ${CONTAINER_VERSION} (the only one supported)`,
      `version ${version}`,
      "The file was written by a newer @trt/format; upgrade this package.",
    );
  }
  const flags = view.getUint16(10, true);
  if (flags !== 0) fail("BAD_HEADER", "reserved header flags 0", `0x${flags.toString(16)}`, "The header is damaged or from a newer writer.");
  const slotCount = view.getUint32(12, true);
  if (slotCount < 1 || slotCount > MAX_CONTAINER_SLOTS) {
    fail("BAD_HEADER", `a slot count from 1 to ${MAX_CONTAINER_SLOTS}`, String(slotCount), "The header is damaged; copy the file again.");
  }
  return { version, slotCount };
}

/** Names slot `index` for messages, using the current layout's names when they apply. */
export function slotLabel(index: number): string {
  const name = CURRENT_LAYOUT.slots[index];
  return name === undefined ? `slot ${index}` : `slot ${index} (${name})`;
}

/**
 * Reads the u64 length at `bytes[offset..offset+8]` of slot `index`, checked
 * against `available`, the bytes left for slot data before the trailer.
 */
export function readSlotLength(bytes: Uint8Array, offset: number, index: number, available: number): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset, 8);
  const lo = view.getUint32(0, true);
  const hi = view.getUint32(4, true);
  // Above 2^53 a length cannot be a JS number, and no file is that large anyway.
  const length = hi >= 0x200000 ? Infinity : hi * 0x100000000 + lo;
  if (length > available) {
    fail(
      "LENGTH_OUT_OF_RANGE",
      `${slotLabel(index)} to fit in the ${Math.max(available, 0)} bytes left before the trailer`,
      `a declared length of ${length === Infinity ? `2^${32 + Math.floor(Math.log2(hi))}+ bytes` : `${length} bytes`}`,
      "The file is truncated or its slot table is damaged; copy it again.",
    );
  }
  return length;
}

/** The 8 trailer bytes for a CRC. */
export function encodeContainerTrailer(crc: number): Uint8Array {
  const out = new Uint8Array(CONTAINER_TRAILER_BYTES);
  new DataView(out.buffer).setUint32(0, crc >>> 0, true);
  out.set(END_MARKER, 4);
  return out;
}

/** Checks the trailer against `crc` (or only its marker when `crc` is null). */
export function checkContainerTrailer(trailer: Uint8Array, crc: number | null): void {
  if (!END_MARKER.every((b, i) => trailer[4 + i] === b)) {
    fail("BAD_TRAILER", `the end marker "TEND" after the last slot`, hex(trailer.subarray(4, 8)), "The file is damaged or its slot lengths are wrong; copy it again.");
  }
  const stored = new DataView(trailer.buffer, trailer.byteOffset, 4).getUint32(0, true);
  if (crc !== null && stored !== crc >>> 0) {
    fail(
      "CHECKSUM_MISMATCH",
      `CRC-32 ${stored.toString(16).padStart(8, "0")} (stored)`,
      `${(crc >>> 0).toString(16).padStart(8, "0")} (computed)`,
      "The file is corrupt; copy or export it again.",
    );
  }
}

// Below this size a slot is batched with its neighbours into one chunk; above it
// (the engine) the caller's bytes are yielded as they are, never copied.
const INLINE_SLOT_BYTES = 64 * 1024;

/**
 * The container for `value`, as chunks to write in order (a streaming writer).
 * The engine bytes are yielded as the caller's own view, not copied; the CRC is
 * computed as chunks go out. The tuple is validated before the first chunk.
 */
export function* containerChunks(value: SerializedEngine, options: EncodeContainerOptions = {}): Generator<Uint8Array, void, undefined> {
  const checksum = options.checksum ?? crc32;
  const slots = encodeTuple(value, options.abi !== undefined ? { abi: options.abi } : {}).map((s) => (typeof s === "string" ? utf8Encode(s) : s));
  let crc = 0;
  let pending: Uint8Array[] = [encodeContainerHeader(slots.length)];
  let pendingBytes = CONTAINER_HEADER_BYTES;
  const flush = (): Uint8Array => {
    const out = new Uint8Array(pendingBytes);
    let o = 0;
    for (const p of pending) {
      out.set(p, o);
      o += p.length;
    }
    pending = [];
    pendingBytes = 0;
    crc = checksum(out, crc);
    return out;
  };
  for (const slot of slots) {
    const length = new Uint8Array(8);
    const view = new DataView(length.buffer);
    view.setUint32(0, slot.length % 0x100000000, true);
    view.setUint32(4, Math.floor(slot.length / 0x100000000), true);
    pending.push(length);
    pendingBytes += 8;
    if (slot.length <= INLINE_SLOT_BYTES) {
      pending.push(slot);
      pendingBytes += slot.length;
      continue;
    }
    yield flush();
    crc = checksum(slot, crc);
    yield slot;
  }
  if (pendingBytes > 0) yield flush();
  yield encodeContainerTrailer(crc);
}

/** Total size of the container {@link containerChunks} writes for `value`. */
export function containerByteLength(value: SerializedEngine, options: Pick<EncodeContainerOptions, "abi"> = {}): number {
  return encodeTuple(value, options.abi !== undefined ? { abi: options.abi } : {}).reduce(
    (n, s) => n + 8 + (typeof s === "string" ? utf8Encode(s).length : s.length),
    CONTAINER_HEADER_BYTES + CONTAINER_TRAILER_BYTES,
  );
}

/** The whole container in one buffer (copies the engine once; prefer the chunks for files). */
export function encodeContainer(value: SerializedEngine, options: EncodeContainerOptions = {}): Uint8Array {
  return concatChunks(containerChunks(value, options));
}

/** The slots of a container as views into `bytes` (no copies), after checking structure and CRC. */
export function decodeContainerSlots(bytes: Uint8Array, options: DecodeContainerOptions = {}): Uint8Array[] {
  const { slotCount } = parseContainerHeader(bytes);
  const slots: Uint8Array[] = [];
  let pos = CONTAINER_HEADER_BYTES;
  for (let i = 0; i < slotCount; i++) {
    if (bytes.length - pos < 8 + CONTAINER_TRAILER_BYTES) {
      fail("TRUNCATED", `the length of ${slotLabel(i)} and the trailer`, `${bytes.length - pos} bytes left`, "The file was cut short; copy it again.");
    }
    const length = readSlotLength(bytes, pos, i, bytes.length - pos - 8 - CONTAINER_TRAILER_BYTES);
    pos += 8;
    slots.push(bytes.subarray(pos, pos + length));
    pos += length;
  }
  const left = bytes.length - pos;
  if (left < CONTAINER_TRAILER_BYTES) fail("TRUNCATED", "the 8-byte trailer", `${left} bytes`, "The file was cut short; copy it again.");
  if (left > CONTAINER_TRAILER_BYTES) {
    fail("TRAILING_BYTES", "the end of the file after the trailer", `${left - CONTAINER_TRAILER_BYTES} more bytes`, "Something was appended to the file or a slot length is wrong; copy it again.");
  }
  const verify = options.verifyChecksum !== false;
  const crc = verify ? (options.checksum ?? crc32)(bytes.subarray(0, pos)) : null;
  checkContainerTrailer(bytes.subarray(pos), crc);
  return slots;
}

/**
 * Reads a container held in memory. The engine in the result is a view into
 * `bytes` (zero-copy): keep `bytes` alive and unchanged while you use it.
 */
export function decodeContainer(bytes: Uint8Array, options: DecodeContainerOptions = {}): SerializedEngine {
  return decodeTuple(decodeContainerSlots(bytes, options));
}
