/**
 * Each model's scheduler: the queue between admitted requests and the
 * engine. It runs at most `slots` engine runs at once (the module's
 * maxConcurrency, so the module's own wait queue stays empty and every
 * waiting request is here, where it can be counted, timed out or dropped).
 *
 * Without batching, each request is one run, in arrival order. With dynamic
 * batching, requests whose inputs agree in every dimension but the first
 * (same key) run together as one engine run of their rows stacked (or, from
 * pinned memory, handed to the runtime in parts, each copied by DMA), up to
 * `maxBatchSize` rows and never beyond what one optimization profile holds;
 * each request gets its rows of every output back, as views of the batch's
 * outputs. A batch goes as soon as a run slot is free and either it cannot
 * grow (the next request of its key would not fit, or it holds
 * `maxBatchSize` rows), its rows are a preferred size (the largest preferred
 * prefix of the waiting requests goes), or the oldest request has waited
 * `maxQueueDelayMicroseconds`. Requests of other keys keep their place.
 *
 * A request whose timeout passes while it waits is rejected with
 * DeadlineExceededError (never run after its time is up, even when a run
 * slot frees before its timer fires), one whose client disconnects with
 * ClientGoneError; once its run has started it is answered whatever happens.
 */
import { performance } from "node:perf_hooks";
import { clearTimeout, setTimeout } from "node:timers";
import { wakeAt } from "./wake-at.js";
import type { BindingSpec, HostInput, RunResult, TensorRTModule } from "@trt/runtime";
import type { RunTimes } from "../statistics.js";
import { ALONE, batchFits, batchKey, gatherInputs, stackInputs } from "./batch-plan.js";
import { ReusableMemory } from "../reusable-memory.js";
import { isPinned, pinnedMemory } from "../pinned-memory.js";
import { ClientGoneError, DeadlineExceededError } from "./errors.js";
import type { Departure } from "./errors.js";
import { readOutputs, sliceRows } from "../protocol/host-output.js";
import type { HostOutput } from "../protocol/host-output.js";

/** Dynamic batching of one model. */
export interface BatchingOptions {
  /** The most rows one run takes. */
  readonly maxBatchSize: number;
  /** How long the oldest waiting request may wait for others to join it, in microseconds (0: go as soon as a run slot is free). */
  readonly maxQueueDelayMicroseconds: number;
  /** Batch sizes to go at as soon as they are reached (each at most maxBatchSize). */
  readonly preferredBatchSizes: readonly number[];
}

/** What the scheduler tells about each request's wait and each run (statistics and metrics). */
export interface RunObserver {
  queued(ns: number): void;
  ran(rows: number, requests: number, times: RunTimes): void;
}

/** One request, decoded and checked against the model. */
export interface InferJob {
  /** Inputs by name; FP16 and BF16 as their 16-bit patterns. */
  readonly inputs: Readonly<Record<string, HostInput>>;
  /** The outputs to read. */
  readonly outputs: readonly string[];
  /** Told when the client goes away. */
  readonly departure?: Departure | undefined;
  /** The protocol's `timeout`: the most microseconds the request may wait for its run; null or 0 for no limit. */
  readonly timeoutMicroseconds?: number | null | undefined;
}

interface Pending {
  readonly job: InferJob;
  readonly rows: number;
  readonly key: string;
  readonly enqueuedAt: number;
  /** When its timeout passes (performance.now() milliseconds), or Infinity. */
  readonly deadline: number;
  readonly resolve: (outputs: HostOutput[]) => void;
  readonly reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout> | null;
}

const nowMs = () => performance.now();

const inPinnedMemory = (inputs: Readonly<Record<string, HostInput>>) => Object.values(inputs).every((input) => isPinned(input.data));

const deadlineExceeded = (timeout: number) => new DeadlineExceededError(`the request waited its timeout of ${timeout} µs for a run`);

export class Scheduler {
  readonly #module: TensorRTModule;
  readonly #inputs: readonly BindingSpec[];
  /** Memory for stacked batches, one set per run in flight, reused (reusable-memory.ts). */
  readonly #stacking: ReusableMemory;
  readonly #slots: number;
  readonly #batching: BatchingOptions | null;
  readonly #preferred: ReadonlySet<number>;
  readonly #observer: RunObserver;
  #queue: Pending[] = [];
  #running = 0;
  #cancelDelay: (() => void) | null = null;
  #delayDue = Infinity;
  /** Waiting requests that have a timeout. */
  #timed = 0;

  /**
   * @param module the model's engine
   * @param slots runs at once (the module's maxConcurrency)
   * @param batching dynamic batching, or null for one request per run
   */
  constructor(module: TensorRTModule, slots: number, batching: BatchingOptions | null, observer: RunObserver) {
    this.#module = module;
    this.#inputs = module.inputs;
    this.#stacking = new ReusableMemory({ maxIdleBuffers: slots * Math.max(1, module.inputs.length), allocate: pinnedMemory(() => module.device) });
    this.#slots = slots;
    this.#batching = batching;
    this.#preferred = new Set(batching?.preferredBatchSizes ?? []);
    this.#observer = observer;
  }

  /** Requests waiting for a run. */
  get queued(): number {
    return this.#queue.length;
  }

  /** Engine runs in progress. */
  get running(): number {
    return this.#running;
  }

  /** Queues `job` and resolves with its outputs once its run is done. */
  infer(job: InferJob): Promise<HostOutput[]> {
    if (job.departure?.gone) return Promise.reject(new ClientGoneError("the client disconnected before the request was queued"));
    const { rows, key } = this.#batching ? batchKey(this.#inputs, job.inputs) : { rows: 1, key: ALONE };
    return new Promise<HostOutput[]>((resolve, reject) => {
      // As in Triton, a timeout of 0 is no timeout.
      const timeout = job.timeoutMicroseconds || null;
      const enqueuedAt = nowMs();
      const pending: Pending = { job, rows, key, enqueuedAt, deadline: timeout === null ? Infinity : enqueuedAt + timeout / 1000, resolve, reject, timer: null };
      if (timeout !== null) {
        this.#timed++;
        pending.timer = setTimeout(() => this.#drop(pending, deadlineExceeded(timeout)), timeout / 1000);
      }
      job.departure?.watch(() => this.#drop(pending, new ClientGoneError("the client disconnected while the request waited for a run")));
      this.#queue.push(pending);
      this.#pump();
    });
  }

  /** Removes a waiting request (timed out or abandoned); a request whose run has started is left to finish. */
  #drop(pending: Pending, error: Error): void {
    const at = this.#queue.indexOf(pending);
    if (at < 0) return;
    this.#queue.splice(at, 1);
    this.#detach(pending);
    pending.reject(error);
    // The head may have changed: its delay, and whether it can go now.
    this.#pump();
  }

  #detach(pending: Pending): void {
    if (pending.deadline !== Infinity) this.#timed--;
    if (pending.timer) clearTimeout(pending.timer);
    pending.timer = null;
    pending.job.departure?.watch(null);
  }

  /**
   * Rejects every waiting request whose timeout has passed. Their timers do this too, but a timer
   * may fire after a run slot has come free: a request is never run after its time is up.
   */
  #dropExpired(): void {
    if (this.#timed === 0) return;
    const now = nowMs();
    for (const p of this.#queue.filter((q) => q.deadline < now)) {
      this.#queue.splice(this.#queue.indexOf(p), 1);
      this.#detach(p);
      p.reject(deadlineExceeded(p.job.timeoutMicroseconds!));
    }
  }

  /** Starts every run that may start now; arms the delay timer when the head must wait for others. */
  #pump(): void {
    if (this.#running < this.#slots) this.#dropExpired();
    while (this.#running < this.#slots && this.#queue.length > 0) {
      const head = this.#queue[0]!;
      if (!this.#batching || head.key === ALONE) {
        this.#start([head]);
        continue;
      }
      const batch = this.#formBatch(head, this.#batching);
      if (batch === null) return;
      this.#start(batch);
    }
  }

  /** The requests to run with `head` now, or null when the batch should wait for more (the delay timer is armed). */
  #formBatch(head: Pending, batching: BatchingOptions): Pending[] | null {
    const group: Pending[] = [];
    let rows = 0;
    let canGrow = true;
    let preferredCut = 0;
    for (const p of this.#queue) {
      if (p.key !== head.key) continue;
      const next = rows + p.rows;
      if (next > batching.maxBatchSize || !batchFits(this.#inputs, head.job.inputs, next)) {
        canGrow = false;
        break;
      }
      group.push(p);
      rows = next;
      if (this.#preferred.has(rows)) preferredCut = group.length;
      if (rows === batching.maxBatchSize) {
        canGrow = false;
        break;
      }
    }
    const delayMs = batching.maxQueueDelayMicroseconds / 1000;
    const due = head.enqueuedAt + delayMs;
    if (canGrow && preferredCut === 0 && delayMs > 0 && nowMs() < due) {
      this.#armDelay(due);
      return null;
    }
    return preferredCut > 0 && canGrow ? group.slice(0, preferredCut) : group;
  }

  #armDelay(due: number): void {
    if (this.#cancelDelay && this.#delayDue <= due) return;
    this.#cancelDelay?.();
    this.#delayDue = due;
    this.#cancelDelay = wakeAt(
      due,
      () => {
        this.#cancelDelay = null;
        this.#delayDue = Infinity;
        this.#pump();
      },
      nowMs,
    );
  }

  /** Takes `batch` out of the queue and runs it. */
  #start(batch: Pending[]): void {
    const taken = new Set(batch);
    this.#queue = batch.length === 1 && this.#queue[0] === batch[0] ? this.#queue.slice(1) : this.#queue.filter((p) => !taken.has(p));
    const started = nowMs();
    for (const p of batch) {
      this.#detach(p);
      this.#observer.queued((started - p.enqueuedAt) * 1e6);
    }
    this.#running++;
    void this.#run(batch, started).finally(() => {
      this.#running--;
      this.#pump();
    });
  }

  async #run(batch: Pending[], started: number): Promise<void> {
    try {
      const rows = batch.reduce((n, p) => n + p.rows, 0);
      const taken: ArrayBuffer[] = [];
      const take = (bytes: number) => {
        // Whole powers of two: a buffer lent once fits every smaller batch after it, so the pinned
        // memory (slow to allocate and free) grows a few times at most, not at each new batch size.
        const buffer = this.#stacking.take(2 ** Math.ceil(Math.log2(Math.max(1, bytes))));
        taken.push(buffer);
        return buffer;
      };
      const requests = batch.map((p) => p.job.inputs);
      // Inputs in pinned memory (request bodies read into it) go to the device part by part, by DMA;
      // others (JSON, small bodies, bodies an intake thread transferred) are stacked into pinned memory first,
      // as one copy from ordinary memory is cheaper on this thread than one per part.
      const inputs =
        batch.length === 1
          ? requests[0]!
          : requests.every(inPinnedMemory)
            ? gatherInputs(this.#inputs, requests, rows)
            : stackInputs(this.#inputs, requests, rows, take);
      const stacked = nowMs();
      let result: RunResult;
      try {
        result = await this.#module.run(inputs);
      } finally {
        // The run has copied its inputs (or failed): the stacked rows can hold the next batch's.
        for (const buffer of taken) this.#stacking.give(buffer);
      }
      const ran = nowMs();
      let outputs: HostOutput[];
      try {
        const names = batch.length === 1 ? batch[0]!.job.outputs : [...new Set(batch.flatMap((p) => p.job.outputs))];
        outputs = await readOutputs(result, names);
      } finally {
        result.dispose();
      }
      if (batch.length === 1) {
        batch[0]!.resolve(outputs);
      } else {
        const wrong = outputs.find((o) => o.shape[0] !== rows);
        if (wrong) {
          throw new Error(`output "${wrong.name}" has shape [${wrong.shape.join(", ")}] for a batch of ${rows} rows; dynamic batching needs outputs whose first dimension is the batch`);
        }
        let offset = 0;
        for (const p of batch) {
          const mine = new Set(p.job.outputs);
          p.resolve(outputs.filter((o) => mine.has(o.name)).map((o) => sliceRows(o, offset, p.rows)));
          offset += p.rows;
        }
      }
      const done = nowMs();
      this.#observer.ran(rows, batch.length, { inputNs: (stacked - started) * 1e6, inferNs: (ran - stacked) * 1e6, outputNs: (done - ran) * 1e6 });
    } catch (error) {
      for (const p of batch) p.reject(error as Error);
    }
  }
}
