/**
 * Device memory behind tensors. Several tensors may view one allocation (an
 * aliased output shares its input's memory), so the memory is reference
 * counted and freed when the last tensor lets go. Each tensor holds a lease;
 * releasing a lease twice does nothing, so dispose() followed by the
 * finalizer, or two dispose() calls, can never free twice.
 *
 * The finalizer is a safety net for tensors nobody disposed: it holds the
 * lease, never the tensor (that would keep the tensor alive forever).
 */
import type { ComputeDevice } from "../placement/compute-device.js";

/**
 * Says whether memory a tensor views still holds that tensor's data. Module-owned
 * ("reused") outputs are overwritten by later runs; their storage carries a guard
 * so a read after that fails loudly instead of returning another run's data.
 */
export interface StorageGuard {
  /** Throws (naming `operation`) when the data is no longer there. */
  check(operation: string): void;
}

/** One device allocation (or a borrowed address) and who still uses it. */
export class DeviceStorage {
  private refs = 0;
  private freed = false;

  /**
   * @param owned whether this runtime allocated the memory and must free it (false: borrowed from the caller).
   * @param stream the stream of the last work queued on this memory; freeing is ordered after it.
   */
  constructor(
    readonly device: ComputeDevice,
    readonly address: number,
    readonly bytes: number,
    readonly owned: boolean,
    public stream: number,
    /** Set on memory the runtime reuses across runs: checked before every read. */
    readonly guard: StorageGuard | null = null,
  ) {}

  /** Whether the memory has been given back. */
  get released(): boolean {
    return this.freed;
  }

  /** A new lease on this storage. */
  lease(): Lease {
    this.refs++;
    return new Lease(this);
  }

  /** Called by a lease: frees owned memory when the last lease is released. */
  drop(byFinalizer: boolean): void {
    if (--this.refs > 0 || this.freed) return;
    this.freed = true;
    if (this.owned) this.device.pool.free(this.address, this.stream, byFinalizer);
  }
}

/** One tensor's claim on a {@link DeviceStorage}. */
export class Lease {
  private done = false;

  constructor(readonly storage: DeviceStorage) {}

  /** Whether this lease was released. */
  get released(): boolean {
    return this.done;
  }

  /** Gives up the claim once; later calls do nothing. */
  release(byFinalizer = false): void {
    if (this.done) return;
    this.done = true;
    this.storage.drop(byFinalizer);
  }
}

/**
 * Frees memory of tensors that were garbage-collected undisposed. Errors are
 * swallowed: a finalizer has no caller to report to, and the memory is then
 * lost either way.
 */
const registry = new FinalizationRegistry<Lease>((lease) => {
  try {
    lease.release(true);
  } catch {
    // Nothing to report to; see above.
  }
});

/** Frees `lease` if `owner` is collected without having released it. */
export function watch(owner: object, lease: Lease): void {
  registry.register(owner, lease, lease);
}

/** Stops watching (the owner released the lease itself). */
export function unwatch(lease: Lease): void {
  registry.unregister(lease);
}
