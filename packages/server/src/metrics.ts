/**
 * `GET /metrics` in Prometheus' text exposition format (version 0.0.4):
 * inference requests by model and HTTP status, a latency histogram per model,
 * and, read from each model when scraped, the requests waiting for an
 * execution context, the contexts ("lanes") running one, and the admission
 * gate. Requests for a model the server does not serve are counted without
 * the name, so a client cannot grow the label set without bound.
 */
import type { ServedModel } from "./models.js";

/** Upper bounds of the latency histogram's buckets, in seconds: 0.5 ms to 10 s. */
export const LATENCY_BUCKETS: readonly number[] = Object.freeze([0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]);

/** The Content-Type of the exposition format. */
export const METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

class Histogram {
  /** counts[i]: observations <= LATENCY_BUCKETS[i] (not cumulative; summed when rendered). */
  readonly counts = new Array<number>(LATENCY_BUCKETS.length).fill(0);
  count = 0;
  sum = 0;

  observe(seconds: number): void {
    const i = LATENCY_BUCKETS.findIndex((bound) => seconds <= bound);
    if (i >= 0) this.counts[i]!++;
    this.count++;
    this.sum += seconds;
  }
}

/** A label value with `\`, `"` and newlines escaped as the format requires. */
export function escapeLabel(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

/** The server's counters, and the text a scrape gets. */
export class ServerMetrics {
  /** Requests by model, then by status. */
  readonly #requests = new Map<string, Map<number, number>>();
  readonly #latency = new Map<string, Histogram>();
  #unknownModel = 0;

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
  render(models: Iterable<ServedModel>): string {
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
    for (const { name } of served) {
      const h = this.#latency.get(name) ?? new Histogram();
      let cumulative = 0;
      LATENCY_BUCKETS.forEach((bound, i) => {
        cumulative += h.counts[i]!;
        lines.push(`trt_server_inference_duration_seconds_bucket{${label(name)},le="${bound}"} ${cumulative}`);
      });
      lines.push(`trt_server_inference_duration_seconds_bucket{${label(name)},le="+Inf"} ${h.count}`);
      lines.push(`trt_server_inference_duration_seconds_sum{${label(name)}} ${h.sum}`);
      lines.push(`trt_server_inference_duration_seconds_count{${label(name)}} ${h.count}`);
    }

    const gauge = (name: string, help: string, value: (m: ServedModel) => number) => {
      family(name, "gauge", help);
      for (const m of served) lines.push(`${name}{${label(m.name)}} ${value(m)}`);
    };
    gauge("trt_server_queue_depth", "Inference requests waiting for one of the model's execution contexts.", (m) => m.module.stats.concurrency.queued);
    gauge("trt_server_lanes_in_use", "The model's execution contexts (lanes) running an inference now.", (m) => m.module.stats.concurrency.inFlight);
    gauge("trt_server_lanes", "Execution contexts (lanes) the model has made so far.", (m) => m.module.stats.concurrency.lanes);
    gauge("trt_server_max_concurrency", "The most inferences the model runs at once (its maxConcurrency).", (m) => m.module.stats.concurrency.limit);
    gauge("trt_server_admitted_requests", "Inference requests admitted for the model now: running, waiting, or reading and writing tensors.", (m) => m.admission.stats.admitted);
    gauge("trt_server_admission_capacity", "The most inference requests admitted for the model at once; more are answered 503.", (m) => m.admission.stats.capacity);

    family("process_resident_memory_bytes", "gauge", "Resident memory of the server process.");
    lines.push(`process_resident_memory_bytes ${process.memoryUsage.rss()}`);
    return `${lines.join("\n")}\n`;
  }
}
