/**
 * Module-owned outputs (`outputMemory: "reused"`): instead of a fresh pool
 * allocation per output per run, each lane (see lanes.ts) keeps one device
 * buffer per output and every run on that lane writes into it again. A
 * serving loop then allocates nothing for its outputs after the first run,
 * and the addresses stay put, which downstream consumers can rely on.
 *
 * - Per lane, so two runs in flight never write into the same buffer.
 * - Per output, growing when a run needs more bytes than the buffer holds,
 *   never shrinking: a smaller shape reuses the larger buffer as it is.
 *   Outputs served by the output allocator (data-dependent shapes) use the
 *   same buffers, handed to TensorRT from its reallocate callback.
 * - Each run on a lane starts a new generation. Tensors carry the generation
 *   they were made in (an {@link OutputStamp} on their storage) and refuse to
 *   be read once it has passed, so stale data is never returned silently.
 * - The tensors borrow the memory: disposing them frees nothing. The buffers
 *   go back to the pool when the module is released.
 */
import { StaleTensorError } from "../errors/index.js";
import type { ComputeDevice } from "../placement/compute-device.js";
import { DeviceStorage } from "../tensor/storage.js";
import type { StorageGuard } from "../tensor/storage.js";
import type { Lane } from "./lanes.js";

/**
 * Who owns a run's output memory.
 * - "owned" (default): every run returns tensors in memory of their own; the caller disposes them.
 * - "reused": outputs live in module-owned buffers reused by the next run on the same lane.
 */
export type OutputMemory = "owned" | "reused";

/** Checks an `outputMemory` option. */
export function checkOutputMemory(value: string): OutputMemory {
  if (value !== "owned" && value !== "reused") {
    throw new RangeError(`outputMemory must be "owned" or "reused"; got ${JSON.stringify(value)}.`);
  }
  return value;
}

/** Counters for module.stats. */
export interface ReusedOutputStats {
  /** Module-owned output buffers that exist now, all lanes together. */
  readonly buffers: number;
  /** Their bytes. */
  readonly bytes: number;
}

/** Ties a tensor to the run that produced it: reads check that no later run reused the memory. */
export class OutputStamp implements StorageGuard {
  constructor(
    private readonly lane: ReusedLane,
    private readonly generation: number,
    private readonly output: string,
  ) {}

  check(operation: string): void {
    if (this.lane.released) throw new StaleTensorError(this.output, operation, "released");
    if (this.lane.generation !== this.generation) throw new StaleTensorError(this.output, operation, "overwritten");
  }
}

interface Buffer {
  address: number;
  capacity: number;
}

/** The reused buffers of one lane. */
export class ReusedLane {
  /** Bumped when a run starts on this lane: tensors of earlier generations are stale. */
  generation = 0;
  /** Set when the module freed the buffers. */
  released = false;
  private readonly buffers = new Map<string, Buffer>();

  constructor(
    private readonly device: ComputeDevice,
    private readonly stream: number,
  ) {}

  /** A new run on this lane: everything earlier runs returned becomes stale. */
  begin(): void {
    this.generation++;
  }

  /** The buffer of output `name`, holding at least `bytes` (replaced by a larger one when it held less). */
  ensure(name: string, bytes: number): number {
    const held = this.buffers.get(name);
    if (held && held.capacity >= bytes) return held.address;
    const pool = this.device.pool;
    // Stream-ordered: the old buffer is reused by the pool only after work already queued on this lane.
    if (held) pool.free(held.address, this.stream);
    const address = pool.alloc(bytes, this.stream);
    const capacity = Math.max(1, bytes);
    if (held) {
      held.address = address;
      held.capacity = capacity;
    } else {
      this.buffers.set(name, { address, capacity });
    }
    return address;
  }

  /** Whether `address` is the start of one of this lane's buffers. */
  holds(address: number): boolean {
    for (const b of this.buffers.values()) if (b.address === address) return true;
    return false;
  }

  /** Storage for a tensor of output `name` at `address`: borrowed (never freed by tensors), stamped with this run. */
  storage(name: string, address: number, bytes: number): DeviceStorage {
    return new DeviceStorage(this.device, address, bytes, false, this.stream, new OutputStamp(this, this.generation, name));
  }

  /** Adds this lane's buffers to `into`. */
  count(into: { buffers: number; bytes: number }): void {
    for (const b of this.buffers.values()) {
      into.buffers++;
      into.bytes += b.capacity;
    }
  }

  /** Frees every buffer (after the lane's queued work); tensors still holding them turn stale. */
  release(): void {
    this.released = true;
    this.generation++;
    for (const b of this.buffers.values()) this.device.pool.free(b.address, this.stream);
    this.buffers.clear();
  }
}

/** The reused output buffers of a module, per lane. */
export class ReusedOutputs {
  private readonly lanes: ReusedLane[] = [];

  constructor(private readonly device: ComputeDevice) {}

  /** The buffers of `lane` (made on its first run). */
  forLane(lane: Lane): ReusedLane {
    let reused = this.lanes[lane.index];
    if (!reused) this.lanes[lane.index] = reused = new ReusedLane(this.device, lane.stream);
    return reused;
  }

  stats(): ReusedOutputStats {
    const total = { buffers: 0, bytes: 0 };
    for (const lane of this.lanes) lane?.count(total);
    return total;
  }

  /** Frees every lane's buffers. Idempotent. */
  release(): void {
    for (const lane of this.lanes) lane?.release();
    this.lanes.length = 0;
  }
}
