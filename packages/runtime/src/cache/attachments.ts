/**
 * One TensorRT-side cache per `RuntimeCache`. Every module using a
 * RuntimeCache (an implicit one shared by path, a scope's, a user's own)
 * attaches to the same TensorRT object, as contexts sharing one
 * IRuntimeCache would, so what one module compiles the others reuse.
 *
 * Bytes move in once, when the first module attaches (reading the file if
 * nobody has yet), and out whenever the RuntimeCache is about to save
 * (onBeforeSave, which also runs at process exit) or a module lets go. They
 * move out only when TensorRT's contents changed since they last moved, so a
 * cache nobody ran anything with never turns dirty and is never rewritten.
 */
import type { RuntimeCache } from "@trt/settings";
import { warnOnce } from "@trt/settings/advanced";
import type { RuntimeCacheBridge, RuntimeCacheStats } from "./cache-bridge.js";

interface Attachment {
  readonly handle: number;
  users: number;
  /** TensorRT's contents as of the last move in either direction. */
  synced: Uint8Array;
  readonly unsubscribe: () => void;
}

/** The TensorRT-side caches of one library, by the RuntimeCache they mirror. */
export class CacheAttachments {
  private readonly attached = new Map<RuntimeCache, Attachment>();

  constructor(readonly bridge: RuntimeCacheBridge) {}

  /** Counts one more user of `cache` and returns its TensorRT-side handle, creating and loading it on first use. */
  attach(cache: RuntimeCache): number {
    const existing = this.attached.get(cache);
    if (existing) {
      existing.users++;
      return existing.handle;
    }
    const handle = this.bridge.create();
    const bytes = cache.bytes;
    if (bytes.byteLength > 0 && !this.bridge.load(handle, bytes)) {
      warnOnce(
        "TRT_RUNTIME_CACHE_REJECTED",
        `TensorRT refused the runtime cache read from ${cache.path} (written by another TensorRT version?); it starts empty, and the next save replaces the file. (Shown once per process.)`,
      );
    }
    const attachment: Attachment = {
      handle,
      users: 1,
      synced: this.bridge.serialize(handle),
      unsubscribe: cache.onBeforeSave((c) => this.collect(c)),
    };
    this.attached.set(cache, attachment);
    return handle;
  }

  /** One user lets go: TensorRT's news are copied into `cache` first; the last user destroys the TensorRT side. */
  detach(cache: RuntimeCache): void {
    const attachment = this.attached.get(cache);
    if (!attachment) return;
    this.collect(cache);
    if (--attachment.users > 0) return;
    attachment.unsubscribe();
    this.attached.delete(cache);
    this.bridge.destroy(attachment.handle);
  }

  /** The TensorRT-side handle of `cache`, or 0 when nobody has it attached. */
  handleOf(cache: RuntimeCache): number {
    return this.attached.get(cache)?.handle ?? 0;
  }

  /** The library's counters for `cache`, where it reports them and the cache is attached. */
  stats(cache: RuntimeCache): RuntimeCacheStats | null {
    const attachment = this.attached.get(cache);
    if (!attachment || !this.bridge.stats) return null;
    return this.bridge.stats(attachment.handle);
  }

  /** Copies TensorRT's contents into `cache` (making it dirty) when they changed since they last moved. */
  private collect(cache: RuntimeCache): void {
    const attachment = this.attached.get(cache);
    if (!attachment) return;
    const now = this.bridge.serialize(attachment.handle);
    if (sameBytes(now, attachment.synced)) return;
    cache.update(now);
    attachment.synced = now;
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

const registries = new WeakMap<RuntimeCacheBridge, CacheAttachments>();

/** The attachments of `bridge` (one registry per library, shared by every module over it). */
export function attachmentsFor(bridge: RuntimeCacheBridge): CacheAttachments {
  let registry = registries.get(bridge);
  if (!registry) registries.set(bridge, (registry = new CacheAttachments(bridge)));
  return registry;
}
