/**
 * Accounting over the device layer's stream-ordered pool: every allocation
 * the module and tensors make goes through here, so a leak shows up as a
 * live count that does not come back down, and copies are counted so tests
 * can prove a device-to-device hand-off made no host round trip.
 */
import type { DeviceLayer } from "../device/index.js";
import { SpareBlocks } from "./spare-blocks.js";
import { InputError } from "../errors/index.js";

/** Counters of one {@link MemoryPool}. */
export interface PoolStats {
  /** Allocations not yet freed. */
  readonly liveAllocations: number;
  /** Bytes of those allocations. */
  readonly liveBytes: number;
  /** Most bytes live at once. */
  readonly peakBytes: number;
  /** Allocations ever made. */
  readonly allocations: number;
  /** Frees ever made (by dispose, release or the finalizer). */
  readonly frees: number;
  /** Of those, frees made by the garbage-collection safety net (a tensor nobody disposed). */
  readonly finalizerFrees: number;
  readonly hostToDeviceCopies: number;
  readonly deviceToHostCopies: number;
  readonly deviceToDeviceCopies: number;
}

/** Allocation and copies on one device, with counters. */
export class MemoryPool {
  private readonly live = new Map<number, number>();
  private liveBytes = 0;
  private peakBytes = 0;
  private allocations = 0;
  private frees = 0;
  private finalizerFrees = 0;
  private h2d = 0;
  private d2h = 0;
  private d2d = 0;
  private readonly spare = new SpareBlocks();

  /**
   * @param layer the device layer that owns the memory.
   * @param activate makes this pool's device current before a call (multi-GPU); a no-op on one device.
   */
  constructor(
    readonly layer: DeviceLayer,
    private readonly activate: () => void = () => {},
  ) {}

  /** At least one byte (a zero-size tensor still gets a distinct, valid address), ordered on `stream`. */
  alloc(bytes: number, stream = 0): number {
    const size = Math.max(1, bytes);
    let address = this.spare.take(size, stream);
    if (address === undefined) {
      this.activate();
      address = this.layer.alloc(size, stream);
    }
    this.live.set(address, size);
    this.allocations++;
    this.liveBytes += size;
    if (this.liveBytes > this.peakBytes) this.peakBytes = this.liveBytes;
    return address;
  }

  /** Returns memory once the work queued on `stream` is done. Freeing twice is an error here, never in the device. */
  free(address: number, stream = 0, byFinalizer = false): void {
    const size = this.live.get(address);
    if (size === undefined) {
      throw new InputError({
        problem: "device",
        tensor: null,
        expected: "memory this pool allocated and has not freed",
        found: `0x${address.toString(16)}`,
        fix: "Free each allocation once; tensors and modules free their own memory.",
      });
    }
    this.live.delete(address);
    this.liveBytes -= size;
    this.frees++;
    if (byFinalizer) this.finalizerFrees++;
    if (this.spare.keep(address, size, stream)) return;
    this.activate();
    this.layer.free(address, stream);
  }

  /** Frees the blocks kept for reuse (see spare-blocks.ts) back to the device. */
  trim(): void {
    this.spare.drain((address, stream) => {
      this.activate();
      this.layer.free(address, stream);
    });
  }

  /** Bytes held in blocks kept for reuse: freed by the pool's users, not yet given back to the device. */
  get spareBytes(): number {
    return this.spare.bytes;
  }

  /** Host to device, ordered on `stream` (`src` may be reused when this returns). */
  copyIn(dst: number, src: ArrayBufferView, stream: number): void {
    this.h2d++;
    this.activate();
    this.layer.copyHostToDevice(dst, src, stream);
  }

  /** Host to device, done when this returns. */
  copyInSync(dst: number, src: ArrayBufferView): void {
    this.h2d++;
    this.activate();
    this.layer.copyHostToDeviceSync(dst, src);
  }

  /** Device to host, done when this returns (waits for `stream`'s earlier work). */
  copyOut(dst: ArrayBufferView, src: number, stream: number): void {
    this.d2h++;
    this.activate();
    this.layer.copyDeviceToHost(dst, src, stream);
  }

  /** Between two device addresses, ordered on `stream`. */
  copyWithin(dst: number, src: number, bytes: number, stream: number): void {
    this.d2d++;
    this.activate();
    this.layer.copyDeviceToDevice(dst, src, bytes, stream);
  }

  /** Between two device addresses, done when this returns. */
  copyWithinSync(dst: number, src: number, bytes: number): void {
    this.d2d++;
    this.activate();
    this.layer.copyDeviceToDeviceSync(dst, src, bytes);
  }

  /** Device to host, blocking until done (the stream-less form). */
  copyOutSync(dst: ArrayBufferView, src: number): void {
    this.d2h++;
    this.activate();
    this.layer.copyDeviceToHostSync(dst, src);
  }

  /** Whether `address` is a live allocation of this pool. */
  owns(address: number): boolean {
    return this.live.has(address);
  }

  /** A snapshot of the counters. */
  stats(): PoolStats {
    return {
      liveAllocations: this.live.size,
      liveBytes: this.liveBytes,
      peakBytes: this.peakBytes,
      allocations: this.allocations,
      frees: this.frees,
      finalizerFrees: this.finalizerFrees,
      hostToDeviceCopies: this.h2d,
      deviceToHostCopies: this.d2h,
      deviceToDeviceCopies: this.d2d,
    };
  }
}
