/**
 * Page-locked ("pinned") host memory lent to callers as plain byte arrays.
 *
 * A copy from ordinary (pageable) memory to the GPU runs on the calling
 * thread: CUDA first copies the bytes into a page-locked bounce buffer of its
 * own. For a 602 KB image that was 0.14 ms of a server's main thread on an
 * H100 for every request. From pinned memory the copy engine reads the bytes
 * itself, after the call has returned, so an input that already lives here
 * (a request body read straight into it) costs the calling thread nothing.
 *
 * The memory is freed once the array and every view of it are garbage: the
 * ArrayBuffer is what the finalizer watches, and views keep it alive. Pinned
 * memory is taken from the operating system's pageable pool for good, so it
 * is for buffers that are reused (a pool of request bodies), not one per call.
 */
import type { DeviceLayer } from "../device/index.js";

/** Views over native memory are limited to this many bytes each (see device/native-memory.ts). */
export const PINNED_MAX_BYTES = 2 ** 30;

interface PinnedBlock {
  readonly layer: DeviceLayer;
  readonly address: number;
  readonly bytes: number;
}

/** Live pinned bytes per device layer, for stats and tests. */
const liveBytes = new WeakMap<DeviceLayer, number>();

const finalizer = new FinalizationRegistry<PinnedBlock>((block) => {
  liveBytes.set(block.layer, (liveBytes.get(block.layer) ?? 0) - block.bytes);
  try {
    block.layer.freeHost(block.address);
  } catch {
    // A finalizer cannot report: the process is ending or the device is gone, and the memory with it.
  }
});

/**
 * `bytes` of page-locked host memory of `layer` (not zeroed), as a Uint8Array over
 * the whole block; freed when that array and all its views are garbage.
 */
export function allocatePinned(layer: DeviceLayer, bytes: number): Uint8Array {
  if (!Number.isSafeInteger(bytes) || bytes <= 0 || bytes > PINNED_MAX_BYTES) {
    throw new RangeError(`pinned host memory: bytes must be an integer from 1 to ${PINNED_MAX_BYTES}, got ${bytes}`);
  }
  const address = layer.allocHost(bytes);
  let memory: ArrayBuffer;
  try {
    memory = layer.hostView(address, bytes);
  } catch (error) {
    layer.freeHost(address);
    throw error;
  }
  finalizer.register(memory, { layer, address, bytes });
  liveBytes.set(layer, (liveBytes.get(layer) ?? 0) + bytes);
  return new Uint8Array(memory);
}

/** Pinned bytes of `layer` not yet freed. */
export function pinnedBytes(layer: DeviceLayer): number {
  return liveBytes.get(layer) ?? 0;
}
