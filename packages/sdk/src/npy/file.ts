/** Reading and writing .npy files on disk. */
import { readFile, writeFile } from "node:fs/promises";
import type { NpyArray } from "./dtypes.js";
import { decodeNpy } from "./read.js";
import { encodeNpy } from "./write.js";

/** The array in the .npy file at `path` (NpyError, or Node's ENOENT/EACCES). */
export async function readNpyFile(path: string): Promise<NpyArray> {
  return decodeNpy(await readFile(path));
}

/** Writes `array` to `path` as a .npy file. */
export async function writeNpyFile(path: string, array: NpyArray): Promise<void> {
  await writeFile(path, encodeNpy(array));
}
