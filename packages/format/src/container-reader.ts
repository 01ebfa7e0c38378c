import {
  checkContainerTrailer,
  CONTAINER_HEADER_BYTES,
  CONTAINER_TRAILER_BYTES,
  parseContainerHeader,
  readSlotLength,
  slotLabel,
  type DecodeContainerOptions,
} from "./container.js";
import { crc32 } from "./crc32.js";
import { fail } from "./errors.js";

/** "Fill `into` with the source's bytes starting at `position`"; the answer is how many bytes were read. */
export interface ReadRequest {
  /** Offset in the source. */
  position: number;
  /** Where the bytes go; the reader wants all of it filled. */
  into: Uint8Array;
}

/** Options for {@link readContainerInSteps}. */
export interface ContainerStepOptions extends DecodeContainerOptions {
  /** Largest slot this platform can hold (Node: buffer.constants.MAX_LENGTH). Above it: TOO_LARGE. */
  maxSlotBytes?: number;
  /** Bytes the caller already read from offset 0 (saves re-reading the head). */
  head?: Uint8Array;
}

// Reads smaller than this are rounded up, so the header and the small slots around
// the engine arrive in a couple of reads instead of one per field.
const WINDOW_BYTES = 64 * 1024;
// Slots at most this big are served from the window; larger ones get their own buffer.
const OWN_BUFFER_BYTES = 1024 * 1024;

/**
 * Reads a container from a random-access source of `size` bytes (a file, a Blob)
 * without holding it all in memory twice. The generator yields {@link ReadRequest}s
 * and is resumed with the number of bytes read; it returns the slots. Each large
 * slot (the engine) is allocated once at its exact size and read straight into,
 * so the engine bytes are copied once, from the source into their final buffer.
 */
export function* readContainerInSteps(
  size: number,
  options: ContainerStepOptions = {},
): Generator<ReadRequest, Uint8Array[], number> {
  const checksum = options.checksum ?? crc32;
  const verify = options.verifyChecksum !== false;
  const maxSlot = options.maxSlotBytes ?? Number.MAX_SAFE_INTEGER;
  let window = options.head ?? new Uint8Array(0);
  let windowStart = 0;

  function* read(position: number, into: Uint8Array): Generator<ReadRequest, void, number> {
    const got = yield { position, into };
    if (got !== into.length) {
      fail("TRUNCATED", `${into.length} bytes at offset ${position}`, `${got} bytes`, "The file changed or was cut short while being read; try again.");
    }
  }
  // Makes [position, position + n) available and returns it as a view.
  function* bytesAt(position: number, n: number): Generator<ReadRequest, Uint8Array, number> {
    const offset = position - windowStart;
    if (offset >= 0 && offset + n <= window.length) return window.subarray(offset, offset + n);
    const length = Math.min(Math.max(n, WINDOW_BYTES), size - position);
    window = new Uint8Array(Math.max(length, 0));
    windowStart = position;
    yield* read(position, window);
    return window.subarray(0, n);
  }

  const head = yield* bytesAt(0, Math.min(size, CONTAINER_HEADER_BYTES));
  const { slotCount } = parseContainerHeader(head);
  let crc = verify ? checksum(head) : 0;
  let pos = CONTAINER_HEADER_BYTES;
  const slots: Uint8Array[] = [];
  for (let i = 0; i < slotCount; i++) {
    if (size - pos < 8 + CONTAINER_TRAILER_BYTES) {
      fail("TRUNCATED", `the length of ${slotLabel(i)} and the trailer`, `${size - pos} bytes left`, "The file was cut short; copy it again.");
    }
    const lengthBytes = yield* bytesAt(pos, 8);
    const length = readSlotLength(lengthBytes, 0, i, size - pos - 8 - CONTAINER_TRAILER_BYTES);
    if (verify) crc = checksum(lengthBytes, crc);
    pos += 8;
    if (length > maxSlot) {
      fail(
        "TOO_LARGE",
        `${slotLabel(i)} of at most ${maxSlot} bytes (this platform's largest buffer)`,
        `${length} bytes`,
        "Node 20 buffers stop at 4 GiB; split the model into smaller engines.",
      );
    }
    let data: Uint8Array;
    if (length <= OWN_BUFFER_BYTES) {
      data = yield* bytesAt(pos, length);
    } else {
      data = new Uint8Array(length);
      // Whatever of the slot is already in the window is copied (at most 64 KiB);
      // the rest is read directly into place.
      const have = Math.max(0, Math.min(length, windowStart + window.length - pos));
      if (have > 0 && pos >= windowStart) data.set(window.subarray(pos - windowStart, pos - windowStart + have));
      yield* read(pos + have, data.subarray(have));
    }
    if (verify) crc = checksum(data, crc);
    slots.push(data);
    pos += length;
  }
  const left = size - pos;
  if (left < CONTAINER_TRAILER_BYTES) fail("TRUNCATED", "the 8-byte trailer", `${left} bytes`, "The file was cut short; copy it again.");
  if (left > CONTAINER_TRAILER_BYTES) {
    fail("TRAILING_BYTES", "the end of the file after the trailer", `${left - CONTAINER_TRAILER_BYTES} more bytes`, "Something was appended to the file or a slot length is wrong; copy it again.");
  }
  checkContainerTrailer(yield* bytesAt(pos, CONTAINER_TRAILER_BYTES), verify ? crc : null);
  return slots;
}
