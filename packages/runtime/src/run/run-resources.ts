/**
 * Everything one run holds between enqueue and its outputs becoming tensors,
 * with one owner and one `release()`:
 *
 * - temporaries: device memory for this run only (a JS input copied in, an
 *   input copied because this run rewrites it, TensorRT's scratch). They go
 *   back to the pool as soon as the run is enqueued (`enqueued()`), ordered
 *   after its work on the stream.
 * - leases on the caller's device tensors the run reads, so they stay alive
 *   until the run is done.
 * - outputs, in binding order, each either owned (memory this run
 *   allocated) or not (a view of an input, a module-owned buffer, or null
 *   where the output allocator serves it). Only owned ones are ever freed
 *   here, so the question "did this run allocate it" has one answer.
 * - what to undo when the run fails (the output allocator's memory, profiling
 *   records), registered with `onFailure`.
 *
 * `handOver()` marks the outputs as given to tensors; `release()` then only
 * drops the leases. Without a hand-over, `release()` frees the owned outputs
 * and runs the undo actions too. Both are safe to call in any order, and
 * `release()` more than once.
 */
import type { ComputeDevice } from "../placement/compute-device.js";
import { DeviceStorage } from "../tensor/storage.js";
import type { Lease } from "../tensor/storage.js";

/** One output of the run: its storage (null: served by the output allocator) and whether the run allocated it. */
interface RunOutput {
  readonly storage: DeviceStorage | null;
  readonly owned: boolean;
}

export class RunResources {
  private temporaries: Array<{ readonly address: number; readonly bytes: number }> = [];
  private readonly leases: Lease[] = [];
  private readonly outputs: RunOutput[] = [];
  private readonly undo: Array<() => void> = [];
  private handedOver = false;
  private released = false;

  constructor(
    readonly device: ComputeDevice,
    readonly stream: number,
  ) {}

  /** `bytes` of device memory for this run only; its address. */
  temporary(bytes: number): number {
    const address = this.device.pool.alloc(bytes, this.stream);
    this.temporaries.push({ address, bytes: Math.max(1, bytes) });
    return address;
  }

  /** Keeps a caller's device memory alive until the run is done; its address. */
  hold(storage: DeviceStorage): number {
    this.leases.push(storage.lease());
    return storage.address;
  }

  /** A new output of `bytes` that this run allocates (and owns until it is handed over). */
  newOutput(bytes: number): DeviceStorage {
    const storage = new DeviceStorage(this.device, this.device.pool.alloc(bytes, this.stream), bytes, true, this.stream);
    this.outputs.push({ storage, owned: true });
    return storage;
  }

  /** The temporary at `address` becomes the next output (an output written into a copied-in input): owned, no longer temporary. */
  outputFromTemporary(address: number): DeviceStorage {
    const index = this.temporaries.findIndex((t) => t.address === address);
    if (index < 0) throw new Error(`no temporary at ${address}`);
    const [temp] = this.temporaries.splice(index, 1);
    const storage = new DeviceStorage(this.device, temp!.address, temp!.bytes, true, this.stream);
    this.outputs.push({ storage, owned: true });
    return storage;
  }

  /** An output the run does not own: a view of an input's storage, a module-owned buffer, or null (the output allocator serves it). */
  borrowedOutput(storage: DeviceStorage | null): void {
    this.outputs.push({ storage, owned: false });
  }

  /** Something to undo if the run fails before its outputs are handed over. */
  onFailure(action: () => void): void {
    this.undo.push(action);
  }

  /** The outputs' storages in binding order (null: served by the output allocator). */
  get storages(): readonly (DeviceStorage | null)[] {
    return this.outputs.map((o) => o.storage);
  }

  /** The run is enqueued: temporaries go back to the pool, ordered after its work on the stream. */
  enqueued(): void {
    this.freeTemporaries();
  }

  /** The outputs are tensors now: they are no longer the run's to free. */
  handOver(): void {
    this.handedOver = true;
  }

  /** Gives back what the run still holds: its leases, its temporaries and, unless handed over, its owned outputs and undo actions. */
  release(): void {
    if (this.released) return;
    this.released = true;
    this.freeTemporaries();
    if (!this.handedOver) {
      for (const o of this.outputs) if (o.owned && o.storage) this.device.pool.free(o.storage.address, this.stream);
      for (const action of this.undo.splice(0)) action();
    }
    for (const lease of this.leases.splice(0)) lease.release();
  }

  private freeTemporaries(): void {
    for (const t of this.temporaries) this.device.pool.free(t.address, this.stream);
    this.temporaries = [];
  }
}
