/**
 * `GET /metrics` in Prometheus' text exposition format (version 0.0.4):
 * inference requests by model and HTTP status, a latency histogram per model,
 * histograms of rows per engine run (`trt_batch_size`), queue and compute
 * time, and, read from each model when scraped, the requests waiting for a
 * run, the execution contexts ("lanes") running one, and the admission
 * gate. Requests for a model the server does not serve are counted without
 * the name, so a client cannot grow the label set without bound.
 *
 * The event loop's delay (how late a 1 ms timer fired: its p50, p99 and max
 * since the previous scrape) tells a loop that keeps up from one that does
 * not: the loop runs every request's HTTP, parsing, copies and engine calls,
 * and once it is saturated, requests wait in the socket for their turn. Its
 * busy time would not: a loop that polls a GPU run between other work is
 * busy without being behind.
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import type { IntervalHistogram } from "node:perf_hooks";

/** Upper bounds of the latency histogram's buckets, in seconds: 0.5 ms to 10 s. */
export const LATENCY_BUCKETS: readonly number[] = Object.freeze([0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]);

/** The Content-Type of the exposition format. */
export const METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

/** Upper bounds of the queue and compute time histograms, in seconds: 50 µs to 10 s (a batch's wait is often well under a millisecond). */
export const DURATION_BUCKETS: readonly number[] = Object.freeze([0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]);

/** Upper bounds of the batch size histogram: rows per engine run. */
export const BATCH_SIZE_BUCKETS: readonly number[] = Object.freeze([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024]);

/** Observations counted into buckets, rendered cumulative as the exposition format wants. */
/**
 * What the exposition reads of a served model (models.ts's ServedModel has it):
 * declared here, so that the metrics do not import the model table that
 * holds their timings.
 */
export interface MetricsModel {
  readonly name: string;
  readonly timings: ModelTimings;
  readonly scheduler: { readonly queued: number };
  readonly module: { readonly stats: { readonly concurrency: { readonly inFlight: number; readonly lanes: number; readonly limit: number } } };
  readonly admission: { readonly stats: { readonly admitted: number; readonly capacity: number } };
}

export class Histogram {
  /** counts[i]: observations <= bounds[i] (not cumulative; summed when rendered). */
  readonly counts: number[];
  count = 0;
  sum = 0;

  constructor(readonly bounds: readonly number[] = LATENCY_BUCKETS) {
    this.counts = new Array<number>(bounds.length).fill(0);
  }

  observe(value: number): void {
    const { bounds } = this;
    let i = 0;
    while (i < bounds.length && value > bounds[i]!) i++;
    if (i < bounds.length) this.counts[i]!++;
    this.count++;
    this.sum += value;
  }

  /** The histogram's sample lines for `name` with `labels` (already formatted, e.g. `model="m"`). */
  lines(name: string, labels: string): string[] {
    const lines: string[] = [];
    let cumulative = 0;
    this.bounds.forEach((bound, i) => {
      cumulative += this.counts[i]!;
      lines.push(`${name}_bucket{${labels},le="${bound}"} ${cumulative}`);
    });
    lines.push(`${name}_bucket{${labels},le="+Inf"} ${this.count}`, `${name}_sum{${labels}} ${this.sum}`, `${name}_count{${labels}} ${this.count}`);
    return lines;
  }
}

/** A model's run histograms: rows per engine run, each request's wait for its run, each run's time. */
export class ModelTimings {
  readonly batchSize = new Histogram(BATCH_SIZE_BUCKETS);
  readonly queue = new Histogram(DURATION_BUCKETS);
  readonly compute = new Histogram(DURATION_BUCKETS);
}

/** A label value with `\`, `"` and newlines escaped as the format requires. */
export function escapeLabel(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

/** The server's counters, and the text a scrape gets. */
export class ServerMetrics {
  /** The event loop's delay since the previous scrape (reset by each). */
  readonly #loopDelay: IntervalHistogram = monitorEventLoopDelay({ resolution: 1 });
  /** Requests by model, then by status. */
  readonly #requests = new Map<string, Map<number, number>>();
  readonly #latency = new Map<string, Histogram>();
  #unknownModel = 0;

  constructor() {
    this.#loopDelay.enable();
  }

  /** Stops sampling the event loop's delay (the server is closing). */
  close(): void {
    this.#loopDelay.disable();
  }

  /** Counts an inference request for `model` answered with `status`. */
  countRequest(model: string, status: number): void {
    const byStatus = this.#requests.get(model) ?? new Map<number, number>();
    byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
    this.#requests.set(model, byStatus);
  }

  /** Counts an inference request for a model that is not served. */
  countUnknownModel(): void {
    this.#unknownModel++;
  }

  /** Records a successful inference's time from arrival to answer. */
  observeLatency(model: string, seconds: number): void {
    const histogram = this.#latency.get(model) ?? new Histogram();
    histogram.observe(seconds);
    this.#latency.set(model, histogram);
  }

  /** The exposition text, with every served model's series present (zeros before its first request). */
  render(models: Iterable<MetricsModel>): string {
    const served = [...models];
    const lines: string[] = [];
    const family = (name: string, type: "counter" | "gauge" | "histogram", help: string) => lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    const label = (model: string) => `model="${escapeLabel(model)}"`;

    family("trt_server_inference_requests_total", "counter", "Inference requests answered, by model and HTTP status.");
    for (const { name } of served) {
      const byStatus = this.#requests.get(name);
      // A 200 series from the start, so rate() has a baseline before the first answer.
      if (!byStatus?.has(200)) lines.push(`trt_server_inference_requests_total{${label(name)},status="200"} 0`);
      for (const [status, n] of [...(byStatus ?? [])].sort((a, b) => a[0] - b[0])) lines.push(`trt_server_inference_requests_total{${label(name)},status="${status}"} ${n}`);
    }
    family("trt_server_unknown_model_requests_total", "counter", "Inference requests for a model this server does not serve (answered 404).");
    lines.push(`trt_server_unknown_model_requests_total ${this.#unknownModel}`);

    family("trt_server_inference_duration_seconds", "histogram", "Successful inference requests, from arrival to answer.");
    for (const { name } of served) lines.push(...(this.#latency.get(name) ?? new Histogram()).lines("trt_server_inference_duration_seconds", label(name)));
    family("trt_batch_size", "histogram", "Rows per engine run: the batch a run was given (with dynamic batching, the requests' rows stacked).");
    for (const m of served) lines.push(...m.timings.batchSize.lines("trt_batch_size", label(m.name)));
    family("trt_server_queue_duration_seconds", "histogram", "Each request's wait for its engine run.");
    for (const m of served) lines.push(...m.timings.queue.lines("trt_server_queue_duration_seconds", label(m.name)));
    family("trt_server_compute_duration_seconds", "histogram", "Each engine run, from making its inputs to its outputs in host memory.");
    for (const m of served) lines.push(...m.timings.compute.lines("trt_server_compute_duration_seconds", label(m.name)));

    const gauge = (name: string, help: string, value: (m: MetricsModel) => number) => {
      family(name, "gauge", help);
      for (const m of served) lines.push(`${name}{${label(m.name)}} ${value(m)}`);
    };
    gauge("trt_server_queue_depth", "Inference requests waiting for an engine run (with dynamic batching: to be batched).", (m) => m.scheduler.queued);
    gauge("trt_server_lanes_in_use", "The model's execution contexts (lanes) running an inference now.", (m) => m.module.stats.concurrency.inFlight);
    gauge("trt_server_lanes", "Execution contexts (lanes) the model has made so far.", (m) => m.module.stats.concurrency.lanes);
    gauge("trt_server_max_concurrency", "The most inferences the model runs at once (its maxConcurrency).", (m) => m.module.stats.concurrency.limit);
    gauge("trt_server_admitted_requests", "Inference requests admitted for the model now: running, waiting, or reading and writing tensors.", (m) => m.admission.stats.admitted);
    gauge("trt_server_admission_capacity", "The most inference requests admitted for the model at once; more are answered 503.", (m) => m.admission.stats.capacity);

    // Reset after each scrape, so each reports the time since the one before (0 while no timer has fired
    // since). Node's sampling timer records nothing for its first interval after a reset: a stall that
    // begins within a millisecond of a scrape is missed.
    const delay = this.#loopDelay;
    const seconds = (ns: number) => (delay.count > 0 ? ns / 1e9 : 0);
    family("trt_server_event_loop_delay_p50_seconds", "gauge", "Median delay of the event loop since the previous scrape: how late a 1 ms timer fired.");
    lines.push(`trt_server_event_loop_delay_p50_seconds ${seconds(delay.percentile(50))}`);
    family("trt_server_event_loop_delay_p99_seconds", "gauge", "99th percentile of the event loop's delay since the previous scrape.");
    lines.push(`trt_server_event_loop_delay_p99_seconds ${seconds(delay.percentile(99))}`);
    family("trt_server_event_loop_delay_max_seconds", "gauge", "Longest delay of the event loop since the previous scrape.");
    lines.push(`trt_server_event_loop_delay_max_seconds ${seconds(delay.max)}`);
    delay.reset();

    family("process_resident_memory_bytes", "gauge", "Resident memory of the server process.");
    lines.push(`process_resident_memory_bytes ${process.memoryUsage.rss()}`);
    // Prometheus's standard name: a load test reads it before and after to get the server's CPU time per request.
    const cpu = process.cpuUsage();
    family("process_cpu_seconds_total", "counter", "CPU time the server process has spent, user and system, in seconds.");
    lines.push(`process_cpu_seconds_total ${(cpu.user + cpu.system) / 1e6}`);
    return `${lines.join("\n")}\n`;
  }
}
