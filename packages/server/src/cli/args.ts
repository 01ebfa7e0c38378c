/**
 * trt-server's command line, parsed and checked before anything is loaded.
 *
 * Each `--model` is `NAME=PATH` followed by optional `,key=value` settings
 * for that model alone (max-concurrency, max-queue, version, engine,
 * device, cuda-graphs); the global `--max-concurrency` and `--max-queue` are the defaults
 * for models that do not set them. Settings are taken from the end of the
 * value, so a path may itself contain commas as long as no part after a
 * comma looks like `key=value` with one of those keys.
 */
import { parseArgs } from "node:util";
import { MAX_HTTP_THREADS } from "../intake/http-intake.js";

/** One `--model` argument. */
export interface ModelSpec {
  readonly name: string;
  readonly path: string;
  readonly maxConcurrency: number;
  readonly maxQueue: number;
  readonly version?: string;
  /** Which engine of a Torch-TensorRT archive with several (index, path in the model, or name). */
  readonly engine?: string;
  /** "cuda:N", "host:N" or an ordinal. */
  readonly device?: string;
  /** cuda-graphs=on: runs replay a captured CUDA graph per input shape instead of enqueuing each kernel. */
  readonly cudaGraphs?: boolean;
}

/** The runtime options shared with the `trt` CLI. */
export interface RuntimeArgs {
  readonly runtime?: "native" | "ffi" | "auto";
  readonly nvinfer?: string;
  readonly cudart?: string;
  /** --plugin, in order (repeatable); absent when none was given. */
  readonly plugins?: readonly string[];
}

/** The parsed command line. */
export interface ServerArgs extends RuntimeArgs {
  readonly models: readonly ModelSpec[];
  /** --model-repository: a folder of models (DIR/<model>/<version>/model.plan), or null. */
  readonly repository: string | null;
  /** --model-control-mode: whether clients may load and unload repository models. */
  readonly modelControl: "none" | "explicit";
  /** --load-model: repository models to load at start in explicit mode. */
  readonly loadModels: readonly string[];
  /** Where the repository extension is served: with inference (null), on another host and port, or nowhere ("off"). */
  readonly control: { readonly host: string; readonly port: number } | "off" | null;
  /** --grpc-port: the gRPC listener's port (0 picks a free one), or null for none. */
  readonly grpcPort: number | null;
  /** --max-concurrency and --max-queue: the defaults for models that set none (also repository models). */
  readonly defaultMaxConcurrency: number;
  readonly defaultMaxQueue: number;
  readonly host: string;
  readonly port: number;
  readonly bodyLimit: number;
  readonly drainTimeoutMs: number;
  readonly logRequests: boolean;
  readonly serverTiming: boolean;
  /** --http-threads: threads that own the HTTP sockets (src/intake), or 0 for the main thread's own listener. */
  readonly httpThreads: number;
}

/** What the command line asked for: serve, or print help or the version. */
export type ParsedCommand = { readonly kind: "serve"; readonly args: ServerArgs } | { readonly kind: "help" } | { readonly kind: "version" };

/** A command line that cannot be served: the message says which argument and why (exit status 2). */
export class UsageError extends Error {
  override readonly name = "UsageError";
  readonly code = "USAGE";
}

export const USAGE = `usage: trt-server --model NAME=PATH[,max-concurrency=N][,max-queue=N][,version=V][,engine=SEL][,device=D][,cuda-graphs=on] [--model ...]
                  [--model-repository DIR] [--model-control-mode none|explicit] [--load-model NAME ...]
                  [--model-control-host HOST] [--model-control-port N|off]
                  [--host 127.0.0.1] [--port 8000] [--grpc-port 8001|off] [--max-concurrency 4] [--max-queue 64]
                  [--max-body-size 67108864] [--drain-timeout 30000] [--log-requests] [--server-timing]
                  [--http-threads N]
                  [--runtime native|ffi|auto] [--nvinfer PATH] [--cudart PATH] [--plugin PATH]...

Serves TensorRT engines over the KServe v2 / Open Inference Protocol (REST and gRPC):
  GET  /v2/health/live, /v2/health/ready, /v2, /metrics
  GET  /v2/models/NAME[/versions/V], /v2/models/NAME[/versions/V]/ready, /v2/models[/NAME]/stats
  POST /v2/models/NAME[/versions/V]/infer   (JSON tensors and binary tensor data)
  POST /v2/repository/index, /v2/repository/models/NAME/load, /v2/repository/models/NAME/unload

  --model NAME=PATH      an engine file (TensorRT plan, Torch-TensorRT .ep/.ts, .trtengine, pickle)
                         served as NAME; repeat for several models. Per model:
                         max-concurrency (inferences at once), max-queue (requests waiting beyond
                         them; more are answered 503), version (default 1), engine (which engine
                         of an archive with several), device (cuda:N), cuda-graphs (on: each input
                         shape's run is captured once and replayed, which saves TensorRT's per-kernel
                         enqueue, about 0.5 ms of the main thread per ResNet-50 run on an H100)
  --model-repository DIR models in DIR/<model>/<version>/model.{plan,engine,ep,ts,trtengine}, each with an
                         optional DIR/<model>/config.json (batching, bounds, engine choice)
  --model-control-mode   none (default): every repository model is loaded at start, and load/unload
                         requests are refused; explicit: only --load-model NAME at start, and clients
                         load and unload through the repository extension
  --model-control-host, --model-control-port
                         serve the repository extension there instead of with inference; port "off"
                         serves it nowhere
  --host, --port         where to listen (default 127.0.0.1:8000; port 0 picks a free one)
  --grpc-port N|off      the gRPC listener on --host (default 8001; 0 picks a free one; off: none)
  --max-concurrency N    default inferences at once per model, each on its own execution context (4)
  --max-queue N          default requests that may wait per model beyond those running (64)
  --max-body-size BYTES  the largest request body, also once inflated (64 MiB); larger is 413
  --drain-timeout MS     on SIGTERM/SIGINT, how long to wait for requests in progress (30000)
  --log-requests         log every request and answer (JSON lines on stdout; LOG_LEVEL sets the level)
  --server-timing        answer with a Server-Timing header: each request's receive and handle times (ms)
  --http-threads N       N threads read requests from their sockets and write the answers, while the main
                         thread runs the models (0, the default: the main thread does both); for many
                         clients with large bodies, where the socket work bounds the requests per second
  --runtime, --nvinfer, --cudart   as for the trt command: engine implementation and libraries
  --plugin PATH          a plugin library to load before the models (repeatable; default $TRT_PLUGIN_PATHS)`;

const MODEL_KEYS = ["max-concurrency", "max-queue", "version", "engine", "device", "cuda-graphs"] as const;
type ModelKey = (typeof MODEL_KEYS)[number];

/** Parses `argv` (without node and the script). */
export function parseServerArgs(argv: readonly string[]): ParsedCommand {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        model: { type: "string", multiple: true },
        "model-repository": { type: "string" },
        "model-control-mode": { type: "string", default: "none" },
        "load-model": { type: "string", multiple: true },
        "model-control-host": { type: "string" },
        "model-control-port": { type: "string" },
        "grpc-port": { type: "string", default: "8001" },
        host: { type: "string", default: "127.0.0.1" },
        port: { type: "string", default: "8000" },
        "max-concurrency": { type: "string", default: "4" },
        "max-queue": { type: "string", default: "64" },
        "max-body-size": { type: "string", default: String(64 * 1024 * 1024) },
        "drain-timeout": { type: "string", default: "30000" },
        "log-requests": { type: "boolean", default: false },
        "server-timing": { type: "boolean", default: false },
        "http-threads": { type: "string", default: "0" },
        runtime: { type: "string" },
        nvinfer: { type: "string" },
        cudart: { type: "string" },
        plugin: { type: "string", multiple: true },
        help: { type: "boolean", short: "h", default: false },
        version: { type: "boolean", default: false },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return { kind: "help" };
  if (values.version) return { kind: "version" };
  const repository = values["model-repository"] ?? null;
  if ((!values.model || values.model.length === 0) && repository === null) throw new UsageError("give at least one --model NAME=PATH, or --model-repository DIR");
  const maxConcurrency = integer(values["max-concurrency"], "--max-concurrency", 1);
  const maxQueue = integer(values["max-queue"], "--max-queue", 0);
  const models = (values.model ?? []).map((value) => parseModel(value, maxConcurrency, maxQueue));
  const modelControl = values["model-control-mode"];
  if (modelControl !== "none" && modelControl !== "explicit") throw new UsageError(`--model-control-mode must be none or explicit; got "${modelControl}"`);
  const loadModels = values["load-model"] ?? [];
  if (loadModels.length > 0 && (modelControl !== "explicit" || repository === null)) {
    throw new UsageError("--load-model is for --model-control-mode explicit with a --model-repository (in mode none every repository model is loaded)");
  }
  const controlHost = values["model-control-host"];
  const controlPort = values["model-control-port"];
  if ((controlHost !== undefined || controlPort !== undefined) && repository === null) throw new UsageError("--model-control-host and --model-control-port need a --model-repository");
  let control: ServerArgs["control"] = null;
  if (controlPort === "off") control = "off";
  else if (controlHost !== undefined || controlPort !== undefined) {
    if (controlPort === undefined) throw new UsageError("--model-control-host needs --model-control-port (a port other than --port's, 0 for a free one, or off)");
    control = { host: controlHost ?? values.host, port: portNumber(controlPort, "--model-control-port") };
  }
  const grpcPort = values["grpc-port"] === "off" ? null : portNumber(values["grpc-port"], "--grpc-port");
  const runtime = values.runtime;
  if (runtime !== undefined && runtime !== "native" && runtime !== "ffi" && runtime !== "auto") {
    throw new UsageError(`--runtime must be native, ffi or auto; got "${runtime}"`);
  }
  const port = portNumber(values.port, "--port");
  const httpThreads = integer(values["http-threads"], "--http-threads", 0);
  if (httpThreads > MAX_HTTP_THREADS) throw new UsageError(`--http-threads must be at most ${MAX_HTTP_THREADS}; got ${httpThreads}`);
  return {
    kind: "serve",
    args: {
      models,
      repository,
      modelControl,
      loadModels,
      control,
      grpcPort,
      defaultMaxConcurrency: maxConcurrency,
      defaultMaxQueue: maxQueue,
      host: values.host,
      port,
      bodyLimit: integer(values["max-body-size"], "--max-body-size", 1),
      drainTimeoutMs: integer(values["drain-timeout"], "--drain-timeout", 0),
      logRequests: values["log-requests"],
      serverTiming: values["server-timing"],
      httpThreads,
      ...(runtime ? { runtime } : {}),
      ...(values.nvinfer ? { nvinfer: values.nvinfer } : {}),
      ...(values.cudart ? { cudart: values.cudart } : {}),
      ...(values.plugin && values.plugin.length > 0 ? { plugins: values.plugin } : {}),
    },
  };
}

/** `NAME=PATH[,key=value]...`. */
function parseModel(value: string, maxConcurrency: number, maxQueue: number): ModelSpec {
  const eq = value.indexOf("=");
  if (eq <= 0 || eq === value.length - 1) throw new UsageError(`--model must be NAME=PATH[,key=value...]; got "${value}"`);
  const name = value.slice(0, eq);
  const parts = value.slice(eq + 1).split(",");
  const settings = new Map<ModelKey, string>();
  // Settings from the end, while the last part is key=value with a known key; the rest is the path.
  while (parts.length > 1) {
    const match = /^([a-z-]+)=(.*)$/.exec(parts[parts.length - 1]!);
    if (!match || !(MODEL_KEYS as readonly string[]).includes(match[1]!)) break;
    const key = match[1] as ModelKey;
    if (settings.has(key)) throw new UsageError(`--model ${name}: ${key} is given twice`);
    settings.set(key, match[2]!);
    parts.pop();
  }
  const path = parts.join(",");
  const at = `--model ${name}`;
  const version = settings.get("version");
  const engine = settings.get("engine");
  const device = settings.get("device");
  const graphs = settings.get("cuda-graphs");
  if (graphs !== undefined && graphs !== "on" && graphs !== "off") throw new UsageError(`${at}: cuda-graphs must be on or off; got "${graphs}"`);
  return {
    name,
    path,
    maxConcurrency: settings.has("max-concurrency") ? integer(settings.get("max-concurrency")!, `${at}: max-concurrency`, 1) : maxConcurrency,
    maxQueue: settings.has("max-queue") ? integer(settings.get("max-queue")!, `${at}: max-queue`, 0) : maxQueue,
    ...(version !== undefined ? { version } : {}),
    ...(engine !== undefined ? { engine } : {}),
    ...(device !== undefined ? { device } : {}),
    ...(graphs === "on" ? { cudaGraphs: true } : {}),
  };
}

function portNumber(text: string, what: string): number {
  const port = integer(text, what, 0);
  if (port > 65535) throw new UsageError(`${what} must be at most 65535; got ${port}`);
  return port;
}

function integer(text: string, what: string, min: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < min) throw new UsageError(`${what} must be an integer of at least ${min}; got "${text}"`);
  return n;
}
