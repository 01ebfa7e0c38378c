/**
 * Giving large request bodies' memory back to the system once they are freed.
 *
 * glibc's malloc maps blocks above its mmap threshold (128 KiB at start) and
 * unmaps them when freed, but each time it frees such a block it raises the
 * threshold to that block's size (up to 32 MiB). After a few 20 MB request
 * bodies it therefore serves them from its heap, and keeps that memory when
 * they are freed. Measured on trt-server with the host-mode emulator: RSS went
 * from 79 to 205 MiB over twenty 19 MB bodies (four at a time) and stayed
 * there; with the threshold pinned at 4 MiB, 75 to 120 MiB, the rest being
 * the engine's own buffers, which it reuses. Pinning it keeps ordinary
 * tensors (a 600 KB image) on the heap, where reuse is cheap, and maps only
 * blocks above 4 MiB, which go back when freed.
 *
 * This is the CLI's choice for its own process; buildServer, a library call,
 * leaves the allocator of the program that embeds it alone. A threshold the
 * user set (MALLOC_MMAP_THRESHOLD_) is kept. Other C libraries (musl) have no
 * such threshold, and nothing changes there.
 */
import { cFunction } from "../c-library.js";

/** The threshold the CLI pins: blocks of this size or more are mapped, and unmapped when freed. */
export const LARGE_ALLOCATION_BYTES = 4 * 1024 * 1024;

/** glibc's mallopt parameter for the mmap threshold (malloc.h). */
const M_MMAP_THRESHOLD = -3;

export type ThresholdOutcome = { readonly pinned: true; readonly bytes: number } | { readonly pinned: false; readonly reason: string };

/** Pins glibc's mmap threshold at `bytes`, or says why it was left as it is. */
export function pinLargeAllocationThreshold(env: NodeJS.ProcessEnv = process.env, bytes = LARGE_ALLOCATION_BYTES): ThresholdOutcome {
  if (env.MALLOC_MMAP_THRESHOLD_ !== undefined) return { pinned: false, reason: `MALLOC_MMAP_THRESHOLD_=${env.MALLOC_MMAP_THRESHOLD_} is set; glibc uses it` };
  let mallopt: (parameter: number, value: number) => number;
  try {
    mallopt = cFunction<typeof mallopt>("int mallopt(int, int)");
  } catch (error) {
    return { pinned: false, reason: `this C library has no mallopt (${(error as Error).message})` };
  }
  // mallopt returns 1 on success, 0 for a parameter or value it refuses.
  return mallopt(M_MMAP_THRESHOLD, bytes) === 1 ? { pinned: true, bytes } : { pinned: false, reason: `mallopt(M_MMAP_THRESHOLD, ${bytes}) was refused` };
}
