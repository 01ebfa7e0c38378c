import { looksLikePickle } from "../container.js";
import { readContainerInSteps, type ReadRequest } from "../container-reader.js";
import type { Crc32Function } from "../crc32.js";
import { fail } from "../errors.js";
import { readPickledTupleWithInfo, type PickledTupleInfo } from "../pickled-tuple.js";
import { decodeTuple, type SerializedEngine } from "../tuple.js";

/** Where a file's engine came from: a container, or a pickle (and which kind). */
export type EngineFileSource =
  | { kind: "container"; version: number; checksum: "verified" | "skipped" }
  | ({ kind: "pickle" } & Omit<PickledTupleInfo, "value">);

/** An engine file read, with how it was stored. */
export interface EngineFileRead {
  /** The decoded tuple. */
  value: SerializedEngine;
  /** Container or pickle, with details. */
  source: EngineFileSource;
  /** File size in bytes. */
  fileBytes: number;
}

/** Options shared by the file readers. */
export interface ReadEngineFileOptions {
  /** Check the container's CRC-32 (default true). */
  verifyChecksum?: boolean;
}

const HEAD_BYTES = 64 * 1024;

/**
 * The whole read of an engine file of `size` bytes as a sequence of read requests
 * (see readContainerInSteps), so the sync and async readers share one parser.
 */
export function* engineFileSteps(
  size: number,
  maxBytes: number,
  checksum: Crc32Function,
  options: ReadEngineFileOptions,
): Generator<ReadRequest, EngineFileRead, number> {
  const head = new Uint8Array(Math.min(size, HEAD_BYTES));
  const got = yield { position: 0, into: head };
  if (got !== head.length) fail("TRUNCATED", `${head.length} bytes at the start of the file`, `${got} bytes`, "The file changed while being read; try again.");
  if (looksLikePickle(head)) {
    if (size > maxBytes) fail("TOO_LARGE", `a pickle of at most ${maxBytes} bytes (this platform's largest buffer)`, `${size} bytes`, "Convert it to a container with a smaller engine, or split the model.");
    const all = new Uint8Array(size);
    all.set(head);
    const rest = yield { position: head.length, into: all.subarray(head.length) };
    if (rest !== size - head.length) fail("TRUNCATED", `${size} bytes of pickle`, `${head.length + rest} bytes`, "The file changed while being read; try again.");
    const { value, ...info } = readPickledTupleWithInfo(all);
    return { value, source: { kind: "pickle", ...info }, fileBytes: size };
  }
  const verify = options.verifyChecksum !== false;
  const slots = yield* readContainerInSteps(size, { head, checksum, verifyChecksum: verify, maxSlotBytes: maxBytes });
  return {
    value: decodeTuple(slots),
    source: { kind: "container", version: 1, checksum: verify ? "verified" : "skipped" },
    fileBytes: size,
  };
}
