/**
 * Concurrency: a module runs up to `limit` inferences at once, each on a
 * lane of its own. A lane is a stream plus, per engine implementation, one
 * execution context (made lazily by the EngineInstance for that lane index),
 * so two runs in flight never share a context's bound shapes, addresses or
 * output-allocator record, and never wait for each other's stream.
 *
 * Lanes are made only when every existing lane is busy and the limit is not
 * reached, so a serial caller uses one lane (one context, one stream) as a
 * module with no pool would. Past the limit, `acquire()` queues: waiters get
 * lanes in arrival order as runs finish. Lane 0 uses the module's own stream;
 * the others take streams from the device's stream pool and give them back
 * when the module is released.
 */
import { ReleasedError } from "../errors/index.js";
import type { ComputeDevice } from "../placement/compute-device.js";

/** The default bound on runs in flight per module. */
export const DEFAULT_MAX_CONCURRENCY = 4;

/** One slot of concurrency: a stream, and its index (which selects the contexts used on it). */
export interface Lane {
  readonly index: number;
  readonly stream: number;
  /** Runs holding this lane now (more than one only for runSync past the bound; see acquireSync). */
  busy: number;
}

/** Counters for module.stats. */
export interface ConcurrencyStats {
  /** The bound: at most this many runs in flight, each with its own context and stream. */
  readonly limit: number;
  /** Lanes made so far (each has a stream, and a context per implementation once it ran). */
  readonly lanes: number;
  /** Runs holding a lane now. */
  readonly inFlight: number;
  /** The most runs in flight at once over the module's life. */
  readonly peakInFlight: number;
  /** Calls waiting for a lane now. */
  readonly queued: number;
}

/** Checks a `maxConcurrency` option: an integer of at least 1. */
export function checkMaxConcurrency(value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`maxConcurrency must be an integer of at least 1; got ${String(value)}. Use 1 for strictly serial runs.`);
  }
  return value;
}

/** The lanes of one module. */
export class LanePool {
  private readonly all: Lane[] = [];
  private readonly waiters: { resolve: (lane: Lane) => void; reject: (error: unknown) => void }[] = [];
  private inFlight = 0;
  private peak = 0;
  private closed = false;

  constructor(
    private readonly device: ComputeDevice,
    readonly limit: number,
    firstStream: number,
  ) {
    this.all.push({ index: 0, stream: firstStream, busy: 0 });
  }

  /** Every lane made so far (for synchronizing and releasing them all). */
  get lanes(): readonly Lane[] {
    return this.all;
  }

  /** A lane for one run: an idle one, else a new one below the limit, else the first to come free. */
  acquire(): Promise<Lane> {
    if (this.closed) return Promise.reject(new ReleasedError("module", "run"));
    const lane = this.idle();
    if (lane) return Promise.resolve(this.take(lane));
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /**
   * A lane without waiting (runSync cannot wait for another run): an idle one,
   * else a new one below the limit, else the least busy. A shared lane is
   * still correct: its work is ordered on its stream after the run in flight.
   */
  acquireSync(): Lane {
    const lane = this.idle() ?? this.all.reduce((a, b) => (b.busy < a.busy ? b : a));
    return this.take(lane);
  }

  /** Gives a lane back; the oldest waiter gets it at once. */
  release(lane: Lane): void {
    lane.busy--;
    this.inFlight--;
    const next = lane.busy === 0 ? this.waiters.shift() : undefined;
    if (next) next.resolve(this.take(lane));
  }

  /** Rejects every waiter (the module is being released); later acquire() calls reject too. */
  close(): void {
    this.closed = true;
    for (const w of this.waiters.splice(0)) w.reject(new ReleasedError("module", "run"));
  }

  /** Gives back the streams of lanes beyond the first (the module gives back its own). */
  releaseStreams(): void {
    for (const lane of this.all.slice(1)) this.device.releaseStream(lane.stream);
    this.all.length = 1;
  }

  stats(): ConcurrencyStats {
    return { limit: this.limit, lanes: this.all.length, inFlight: this.inFlight, peakInFlight: this.peak, queued: this.waiters.length };
  }

  private idle(): Lane | undefined {
    const lane = this.all.find((l) => l.busy === 0);
    if (lane || this.all.length >= this.limit) return lane;
    const made: Lane = { index: this.all.length, stream: this.device.acquireStream(), busy: 0 };
    this.all.push(made);
    return made;
  }

  private take(lane: Lane): Lane {
    lane.busy++;
    this.inFlight++;
    if (this.inFlight > this.peak) this.peak = this.inFlight;
    return lane;
  }
}
