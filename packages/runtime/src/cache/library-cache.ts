/**
 * A runtime cache a library serves through entry points of its own, besides
 * TensorRT's (trtEmulatorRuntimeCache*: the emulator has them,
 * tools/emulator/native/src/runtime_cache.h). Used only where the library's
 * traits say it has them (libraries/library-traits.ts), so real TensorRT, or
 * an emulator without them, never gets these calls.
 */
import type { TensorRTLibraryInfo } from "../engine/contract.js";
import { loadTensorRT } from "../ffi/library.js";
import { libraryTraits } from "../libraries/library-traits.js";
import type { RuntimeCacheBridge, RuntimeCacheStats } from "./cache-bridge.js";

type Create = () => number;
type Destroy = (cache: number) => void;
type Load = (cache: number, data: Uint8Array, size: number) => number;
type Serialize = (cache: number, out: Uint8Array | null, capacity: number) => number;
type Use = (cache: number) => void;
type Stats = (cache: number, out: BigUint64Array) => void;

class EntryPointCacheBridge implements RuntimeCacheBridge {
  private readonly stats3 = new BigUint64Array(3);

  constructor(
    private readonly createFn: Create,
    private readonly destroyFn: Destroy,
    private readonly loadFn: Load,
    private readonly serializeFn: Serialize,
    private readonly useFn: Use,
    private readonly statsFn: Stats,
  ) {}

  create(): number {
    const handle = this.createFn();
    if (handle === 0) throw new Error("trtEmulatorRuntimeCacheCreate returned null (out of memory)");
    return handle;
  }

  load(handle: number, bytes: Uint8Array): boolean {
    return this.loadFn(handle, bytes, bytes.byteLength) === 1;
  }

  serialize(handle: number): Uint8Array {
    // Ask for the size, then the bytes; nothing else runs in between (JS is single-threaded here).
    const size = this.serializeFn(handle, null, 0);
    const out = new Uint8Array(size);
    if (size > 0) this.serializeFn(handle, out, size);
    return out;
  }

  createContextsWith<T>(handle: number, create: () => T): T {
    this.useFn(handle);
    try {
      return create();
    } finally {
      this.useFn(0);
    }
  }

  destroy(handle: number): void {
    this.destroyFn(handle);
  }

  stats(handle: number): RuntimeCacheStats {
    this.statsFn(handle, this.stats3);
    return { entries: Number(this.stats3[0]), hits: Number(this.stats3[1]), misses: Number(this.stats3[2]) };
  }
}

// One bridge per library path: every environment (and both engine
// implementations) over one library must share TensorRT-side caches.
const bridges = new Map<string, RuntimeCacheBridge | null>();

/** The runtime cache of the loaded library, or null when it has none (real standard TensorRT, an emulator without one). */
export function runtimeCacheBridgeFor(library: TensorRTLibraryInfo): RuntimeCacheBridge | null {
  if (!libraryTraits(library).runtimeCacheEntryPoints) return null;
  const known = bridges.get(library.path);
  if (known !== undefined) return known;
  const loaded = loadTensorRT({ path: library.path });
  let bridge: RuntimeCacheBridge | null = null;
  if (libraryTraits(loaded.info).runtimeCacheEntryPoints) {
    const lib = loaded.handle;
    const P = "uintptr_t";
    bridge = new EntryPointCacheBridge(
      lib.func("trtEmulatorRuntimeCacheCreate", P, []) as Create,
      lib.func("trtEmulatorRuntimeCacheDestroy", "void", [P]) as Destroy,
      lib.func("trtEmulatorRuntimeCacheSet", "int32_t", [P, "const void*", "uint64_t"]) as Load,
      lib.func("trtEmulatorRuntimeCacheGet", "uint64_t", [P, "void*", "uint64_t"]) as Serialize,
      lib.func("trtEmulatorRuntimeCacheUse", "void", [P]) as Use,
      lib.func("trtEmulatorRuntimeCacheStats", "void", [P, "void*"]) as Stats,
    );
  }
  bridges.set(library.path, bridge);
  return bridge;
}
