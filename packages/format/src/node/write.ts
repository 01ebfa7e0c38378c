import { randomBytes } from "node:crypto";
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { open, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { containerChunks } from "../container.js";
import { pickledTupleChunks, type WritePickledTupleOptions } from "../pickled-tuple.js";
import type { SerializedEngine } from "../tuple.js";
import { nodeCrc32 } from "./checksum.js";

/** Options for {@link writeEngineFile}. */
export interface WriteEngineFileOptions {
  /** "container" (default): the `.trtengine` container. "pickle": a pickled tuple Python can load. */
  format?: "container" | "pickle";
  /** Pickle options when `format` is "pickle". */
  pickle?: WritePickledTupleOptions;
  /** fsync the file before renaming it into place (default true), so a crash leaves the old or the new file. */
  durable?: boolean;
  /**
   * The Torch-TensorRT ABI to write ("6" to "10"; see write-abi.ts): the layout
   * a given Torch-TensorRT release loads. Default: the ABI the tuple was read
   * from, else the newest released one. For a pickle it overrides `pickle.abi`.
   */
  abi?: string;
}

const IO_PIECE = 1 << 30;

function chunksFor(value: SerializedEngine, options: WriteEngineFileOptions): Iterator<Uint8Array> {
  const abi = options.abi !== undefined ? { abi: options.abi } : {};
  if (options.format === "pickle") return pickledTupleChunks(value, { ...options.pickle, ...abi })[Symbol.iterator]();
  return containerChunks(value, { checksum: nodeCrc32, ...abi });
}

function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
}

/**
 * Writes an engine file by streaming chunks to a temporary file next to `path`,
 * then renaming it over `path`: readers see the old file or the complete new one.
 * The value is validated before anything is created.
 */
export async function writeEngineFile(path: string, value: SerializedEngine, options: WriteEngineFileOptions = {}): Promise<void> {
  const chunks = chunksFor(value, options);
  let next = chunks.next(); // validates the tuple before touching the disk
  const temp = tempPathFor(path);
  const handle = await open(temp, "wx");
  try {
    for (; !next.done; next = chunks.next()) {
      const chunk = next.value;
      for (let done = 0; done < chunk.length; ) {
        const piece = Math.min(chunk.length - done, IO_PIECE);
        done += (await handle.write(chunk, done, piece)).bytesWritten;
      }
    }
    if (options.durable !== false) await handle.sync();
    await handle.close();
    await rename(temp, path);
  } catch (e) {
    await handle.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw e;
  }
}

/** Synchronous {@link writeEngineFile}. */
export function writeEngineFileSync(path: string, value: SerializedEngine, options: WriteEngineFileOptions = {}): void {
  const chunks = chunksFor(value, options);
  let next = chunks.next();
  const temp = tempPathFor(path);
  const fd = openSync(temp, "wx");
  let closed = false;
  try {
    for (; !next.done; next = chunks.next()) {
      const chunk = next.value;
      for (let done = 0; done < chunk.length; ) {
        done += writeSync(fd, chunk, done, Math.min(chunk.length - done, IO_PIECE));
      }
    }
    if (options.durable !== false) fsyncSync(fd);
    closeSync(fd);
    closed = true;
    renameSync(temp, path);
  } catch (e) {
    if (!closed) closeSync(fd);
    try {
      unlinkSync(temp);
    } catch {
      // the temporary file may not exist any more; the original error matters
    }
    throw e;
  }
}
