/**
 * Host memory that native code can see, handled through koffi: allocation
 * with a chosen alignment, ArrayBuffer views, pointer reads and C strings.
 * Addresses are plain numbers (see engine/contract.ts for why); koffi 3
 * accepts them wherever it takes a pointer.
 */
import koffi from "koffi";

/**
 * Allocations made here, by the aligned address handed out, so free() finds the block (and
 * its size, for leak checks). koffi.alloc counts in 32 bits and refuses a block of 2 GiB or
 * more, which a plan over 2 GB needs: those blocks come from the C library's calloc.
 */
const blocks = new Map<number, { block: unknown; bytes: number; from: "koffi" | "calloc" }>();
let liveBytes = 0;

/** Alignment TensorRT asks of I/O tensors and scratch memory. */
export const TENSOR_ALIGNMENT = 256;

/** The largest block koffi.alloc hands out (its element count is an int32). */
const KOFFI_ALLOC_LIMIT = 2 ** 31 - 1;

/** Views over native memory stay at 1 GiB or less each: koffi's views and typed arrays count in 32 bits. */
const VIEW_CHUNK = 2 ** 30;

interface CAllocator {
  calloc(count: number, size: number): unknown;
  free(block: unknown): void;
  /** Takes addresses (numbers) or typed arrays (their bytes, from their offset) on either side. */
  memmove(dst: number | ArrayBufferView, src: number | ArrayBufferView, bytes: number): unknown;
}
let cAllocator: CAllocator | null = null;

/** calloc and free of the C library already in the process (glibc or musl alike). */
function processAllocator(): CAllocator {
  if (!cAllocator) {
    const self = koffi.load(null as unknown as string);
    cAllocator = {
      calloc: self.func("void *calloc(size_t, size_t)") as CAllocator["calloc"],
      free: self.func("void free(void *)") as CAllocator["free"],
      memmove: self.func("void *memmove(void *, const void *, size_t)") as CAllocator["memmove"],
    };
  }
  return cAllocator;
}

function forEachChunk(bytes: number, visit: (offset: number, length: number) => void): void {
  for (let offset = 0; offset < bytes; offset += VIEW_CHUNK) visit(offset, Math.min(VIEW_CHUNK, bytes - offset));
}

/**
 * Allocates `bytes` of zeroed host memory aligned to `alignment` (a power of
 * two). Neither allocator promises more than malloc's alignment, so this
 * over-allocates and rounds up; the original block is kept to free it later.
 */
export function allocNative(bytes: number, alignment = 16): number {
  if (!Number.isSafeInteger(bytes) || bytes < 0) throw new RangeError(`allocNative: bytes must be a non-negative integer, got ${bytes}`);
  if (alignment <= 0 || (alignment & (alignment - 1)) !== 0) throw new RangeError(`allocNative: alignment must be a power of two, got ${alignment}`);
  const size = Math.max(bytes, 1) + alignment;
  const from = size <= KOFFI_ALLOC_LIMIT ? "koffi" : "calloc";
  // calloc's pages arrive zeroed (and untouched until used); koffi's block is zeroed here.
  const block: unknown = from === "koffi" ? koffi.alloc("uint8_t", size) : processAllocator().calloc(1, size);
  if (!block) throw new RangeError(`allocNative: the C library could not allocate ${size} bytes of host memory`);
  const base = Number(koffi.address(block));
  const aligned = Math.ceil(base / alignment) * alignment;
  if (from === "koffi") new Uint8Array(koffi.view(aligned, Math.max(bytes, 1))).fill(0);
  blocks.set(aligned, { block, bytes, from });
  liveBytes += bytes;
  return aligned;
}

/** Copies `source` into native memory at `address`, a gibibyte at a time, so a source over 2 GiB copies too. */
export function copyIntoNative(address: number, source: Uint8Array): void {
  forEachChunk(source.byteLength, (offset, length) => new Uint8Array(koffi.view(address + offset, length)).set(source.subarray(offset, offset + length)));
}

/**
 * Copies `bytes` bytes between native memory and JS memory, either way, or within native
 * memory (overlap allowed), through the C library's memmove. Unlike a copy through
 * {@link nativeView}, it makes no ArrayBuffer per copy for the collector to track, and
 * overlapping ranges need no temporary.
 */
export function copyNative(dst: number | ArrayBufferView, src: number | ArrayBufferView, bytes: number): void {
  if (bytes > 0) processAllocator().memmove(dst, src, bytes);
}

/** Frees memory from {@link allocNative}; 0 and unknown addresses are ignored (returns false for unknown). */
export function freeNative(address: number): boolean {
  if (address === 0) return true;
  const entry = blocks.get(address);
  if (entry === undefined) return false;
  blocks.delete(address);
  liveBytes -= entry.bytes;
  if (entry.from === "koffi") koffi.free(entry.block);
  else processAllocator().free(entry.block);
  return true;
}

/** Live allocations made by {@link allocNative} (host-device memory and the ffi engine's own buffers), for leak checks. */
export function nativeMemoryStats(): { liveAllocations: number; liveBytes: number } {
  return { liveAllocations: blocks.size, liveBytes };
}

/** True when `address` came from {@link allocNative} and was not freed. */
export function isNativeAllocation(address: number): boolean {
  return blocks.has(address);
}

/** An ArrayBuffer over native memory, without copying. The caller keeps the memory alive while it uses the view. */
export function nativeView(address: number, bytes: number): ArrayBuffer {
  if (bytes === 0) return new ArrayBuffer(0);
  return koffi.view(address, bytes);
}

/** Copies `bytes` from native memory into a new Uint8Array owned by JS. */
export function copyFromNative(address: number, bytes: number): Uint8Array {
  if (bytes === 0) return new Uint8Array(0);
  return new Uint8Array(koffi.view(address, bytes)).slice();
}

/** Reads one pointer-sized word (x86-64/aarch64: 8 bytes). */
export function readPointer(address: number): number {
  return Number(koffi.decode.uint64(address));
}

/**
 * Writes `text` as a NUL-terminated UTF-8 string into fresh native memory.
 * Used to pass tensor names as pointers: converting a JS string on every
 * call costs more than the call itself.
 */
export function allocCString(text: string): number {
  const bytes = new TextEncoder().encode(text);
  const address = allocNative(bytes.length + 1);
  new Uint8Array(nativeView(address, bytes.length + 1)).set(bytes);
  return address;
}
