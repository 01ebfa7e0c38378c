/**
 * A model's statistics as the statistics extension reports them
 * (`GET /v2/models/{name}/stats`, gRPC ModelStatistics), in Triton's terms:
 *
 * - inference_count: inferences done, counting each request's batch rows;
 *   execution_count: engine runs (a dynamic batch of eight requests is one).
 * - success / fail: requests answered, and their time from arrival to answer.
 * - queue: time each request waited for a run; compute_input: making the
 *   run's inputs (stacking a batch); compute_infer: the engine run, with its
 *   copies to and from the device; compute_output: reading the outputs to
 *   host memory and splitting a batch's rows. Each request is charged its
 *   run's times, as Triton does.
 * - batch_stats: per batch size (rows of a run), the runs and their times.
 *
 * Durations are summed in nanoseconds as doubles: exact to 2^53 ns (104 days
 * of summed time), rounded beyond, never wrapped.
 */

/** A count and the nanoseconds it took in all. */
export interface StatDuration {
  count: number;
  ns: number;
}

/** One batch size's runs. */
export interface BatchStats {
  readonly batch_size: number;
  readonly compute_input: StatDuration;
  readonly compute_infer: StatDuration;
  readonly compute_output: StatDuration;
}

/** One model's entry in the statistics answer. */
export interface ModelStatsJson {
  readonly name: string;
  readonly version: string;
  /** Milliseconds since the epoch of the last inference, 0 before the first. */
  readonly last_inference: number;
  readonly inference_count: number;
  readonly execution_count: number;
  readonly inference_stats: {
    readonly success: StatDuration;
    readonly fail: StatDuration;
    readonly queue: StatDuration;
    readonly compute_input: StatDuration;
    readonly compute_infer: StatDuration;
    readonly compute_output: StatDuration;
    readonly cache_hit: StatDuration;
    readonly cache_miss: StatDuration;
  };
  readonly batch_stats: readonly BatchStats[];
}

/** The phases of one run, in nanoseconds. */
export interface RunTimes {
  readonly inputNs: number;
  readonly inferNs: number;
  readonly outputNs: number;
}

const zero = (): StatDuration => ({ count: 0, ns: 0 });
const add = (d: StatDuration, ns: number, count = 1) => {
  d.count += count;
  d.ns += ns;
};

/** The counters of one model. */
export class ModelStatistics {
  #lastInference = 0;
  #inferences = 0;
  #executions = 0;
  readonly #success = zero();
  readonly #fail = zero();
  readonly #queue = zero();
  readonly #input = zero();
  readonly #infer = zero();
  readonly #output = zero();
  readonly #batches = new Map<number, { input: StatDuration; infer: StatDuration; output: StatDuration }>();

  /** A request's answer: successful or not, and its time from arrival. */
  recordRequest(ok: boolean, ns: number): void {
    add(ok ? this.#success : this.#fail, ns);
  }

  /** A request's wait for its run. */
  recordQueue(ns: number): void {
    add(this.#queue, ns);
  }

  /** One engine run of `rows` rows for `requests` requests, each charged the run's times. */
  recordRun(rows: number, requests: number, times: RunTimes): void {
    this.#lastInference = Date.now();
    this.#inferences += rows;
    this.#executions++;
    add(this.#input, times.inputNs * requests, requests);
    add(this.#infer, times.inferNs * requests, requests);
    add(this.#output, times.outputNs * requests, requests);
    let batch = this.#batches.get(rows);
    if (!batch) this.#batches.set(rows, (batch = { input: zero(), infer: zero(), output: zero() }));
    add(batch.input, times.inputNs);
    add(batch.infer, times.inferNs);
    add(batch.output, times.outputNs);
  }

  /** The model's entry, as the protocol's JSON has it. */
  toJson(name: string, version: string): ModelStatsJson {
    const copy = (d: StatDuration): StatDuration => ({ count: d.count, ns: Math.round(d.ns) });
    return {
      name,
      version,
      last_inference: this.#lastInference,
      inference_count: this.#inferences,
      execution_count: this.#executions,
      inference_stats: {
        success: copy(this.#success),
        fail: copy(this.#fail),
        queue: copy(this.#queue),
        compute_input: copy(this.#input),
        compute_infer: copy(this.#infer),
        compute_output: copy(this.#output),
        cache_hit: zero(),
        cache_miss: zero(),
      },
      batch_stats: [...this.#batches]
        .sort((a, b) => a[0] - b[0])
        .map(([size, b]) => ({ batch_size: size, compute_input: copy(b.input), compute_infer: copy(b.infer), compute_output: copy(b.output) })),
    };
  }
}
