import { constants as bufferConstants } from "node:buffer";
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { open } from "node:fs/promises";
import type { ReadRequest } from "../container-reader.js";
import type { SerializedEngine } from "../tuple.js";
import { nodeCrc32 } from "./checksum.js";
import { engineFileSteps, type EngineFileRead, type ReadEngineFileOptions } from "../model-file.js";

/**
 * Largest engine (or pickle file) the Node helpers can hold: Node 20's Buffer and
 * typed-array limit, 4 GiB on 64-bit. Larger slots are a FormatError "TOO_LARGE".
 */
export const MAX_ENGINE_BYTES: number = bufferConstants.MAX_LENGTH;

// fs.read takes at most 2 GiB - 1 per call; stay well below.
const IO_PIECE = 1 << 30;

async function fillAsync(read: (into: Uint8Array, position: number) => Promise<number>, request: ReadRequest): Promise<number> {
  let done = 0;
  while (done < request.into.length) {
    const piece = request.into.subarray(done, Math.min(request.into.length, done + IO_PIECE));
    const n = await read(piece, request.position + done);
    if (n === 0) break;
    done += n;
  }
  return done;
}

function fillSync(fd: number, request: ReadRequest): number {
  let done = 0;
  while (done < request.into.length) {
    const length = Math.min(request.into.length - done, IO_PIECE);
    const n = readSync(fd, request.into, done, length, request.position + done);
    if (n === 0) break;
    done += n;
  }
  return done;
}

/**
 * Reads an engine file, container or pickle (told apart by their first bytes), and
 * reports which it was. A container's engine is read with positioned reads straight
 * into its own buffer: one copy, no full-file buffer.
 */
export async function readEngineFileWithSource(path: string, options: ReadEngineFileOptions = {}): Promise<EngineFileRead> {
  const handle = await open(path, "r");
  try {
    const { size } = await handle.stat();
    const steps = engineFileSteps(size, MAX_ENGINE_BYTES, nodeCrc32, options);
    const read = async (into: Uint8Array, position: number): Promise<number> =>
      (await handle.read(into, 0, into.length, position)).bytesRead;
    let step = steps.next();
    while (!step.done) step = steps.next(await fillAsync(read, step.value));
    return step.value;
  } finally {
    await handle.close();
  }
}

/** Synchronous {@link readEngineFileWithSource}. */
export function readEngineFileWithSourceSync(path: string, options: ReadEngineFileOptions = {}): EngineFileRead {
  const fd = openSync(path, "r");
  try {
    const steps = engineFileSteps(fstatSync(fd).size, MAX_ENGINE_BYTES, nodeCrc32, options);
    let step = steps.next();
    while (!step.done) step = steps.next(fillSync(fd, step.value));
    return step.value;
  } finally {
    closeSync(fd);
  }
}

/** Reads an engine file (container or pickle). Bad content is a FormatError; I/O errors are Node's. */
export async function readEngineFile(path: string, options: ReadEngineFileOptions = {}): Promise<SerializedEngine> {
  return (await readEngineFileWithSource(path, options)).value;
}

/** Synchronous {@link readEngineFile}. */
export function readEngineFileSync(path: string, options: ReadEngineFileOptions = {}): SerializedEngine {
  return readEngineFileWithSourceSync(path, options).value;
}
