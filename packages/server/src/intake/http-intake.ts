/**
 * HTTP on several threads (`--http-threads N`): intake threads own the
 * sockets, the main thread keeps the engines, the queues and the batching.
 *
 * With one thread, the event loop that runs the models also reads every
 * request body from its socket, parses HTTP and writes every answer. Under
 * many clients sending 600 KB images that socket work is a large part of the
 * loop's time per request, and the loop is what bounds the requests per
 * second a batching server can take in. Here N threads accept connections on
 * one listening socket (shared-listener.ts), read each request and pass it,
 * body transferred rather than copied, to this thread, which answers it
 * through `app.inject` (the same routes, hooks, admission, metrics and drain
 * as a request on its own listener) and passes the answer back.
 *
 * Each thread reads bodies into an arena of memory both threads see
 * (intake-bodies.ts), pinned here where the device allows: a body crosses as
 * an offset, and the GPU reads it by DMA, as it does the main listener's
 * pinned bodies.
 *
 * The price is two hand-overs between threads per request, a few tens of
 * microseconds: at one client, the main thread's own listener answers sooner.
 */
import type { IncomingHttpHeaders } from "node:http";
import { Worker } from "node:worker_threads";
import type { InjectOptions } from "fastify";
import type { InferenceServer } from "../app.js";
import { markPinned } from "../pinned-memory.js";
import { FORWARDED_REQUEST_HEADER, forgetForwarded, registerForwarded } from "./forwarded-requests.js";
import type { FromIntake, IntakeWorkerData, ToIntake } from "./messages.js";
import { closeDescriptor, openSharedListener } from "./shared-listener.js";

/** The most intake threads: more than the cores of any machine this serves from would only contend. */
export const MAX_HTTP_THREADS = 64;

/** Each thread's arena for request bodies (intake-bodies.ts): fifty 602 KB images in flight per thread. */
const ARENA_BYTES = 32 * 1024 * 1024;

/** Where to listen, and with how many threads. */
export interface HttpIntakeOptions {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly threads: number;
}

/** Intake threads serving a server's HTTP routes. */
export interface HttpIntake {
  /** Where they listen, e.g. "http://127.0.0.1:8000". */
  readonly origin: string;
  readonly port: number;
  /** Stops accepting, answers what was received (Connection: close), and stops the threads. */
  close(): Promise<void>;
}

/**
 * The intake thread's module, built beside this one (dist/intake-worker.js). Run from its
 * TypeScript source (the package's own tests), this module starts the source instead, through tsx.
 */
function workerEntry(): { readonly url: URL | string; readonly eval: boolean } {
  if (!import.meta.url.endsWith(".ts")) return { url: new URL("./intake-worker.js", import.meta.url), eval: false };
  const source = new URL("./intake-worker.ts", import.meta.url).href;
  return { url: `import("tsx/esm/api").then((tsx) => { tsx.register(); return import(${JSON.stringify(source)}); });`, eval: true };
}

/** Starts `options.threads` intake threads for `server` on `options.host:options.port`; the server's app must not listen itself. */
export async function startHttpIntake(server: InferenceServer, options: HttpIntakeOptions): Promise<HttpIntake> {
  const { threads } = options;
  if (!Number.isSafeInteger(threads) || threads < 1 || threads > MAX_HTTP_THREADS) {
    throw new RangeError(`threads must be an integer from 1 to ${MAX_HTTP_THREADS}; got ${threads}`);
  }
  const { app } = server;
  await app.ready();
  const bodyLimit = app.initialConfig.bodyLimit ?? 1024 * 1024;
  const listener = await openSharedListener(options.host, options.port, threads);
  const entry = workerEntry();
  const workers: Worker[] = [];
  const arenas: IntakeArena[] = [];
  const state = { closing: false };
  let taken = 0;
  try {
    const started: Promise<void>[] = [];
    for (const fd of listener.fds) {
      const arena = openArena(server);
      arenas.push(arena);
      const worker = new Worker(entry.url, { workerData: { fd, bodyLimit, arena: arena.memory } satisfies IntakeWorkerData, eval: entry.eval });
      taken++;
      workers.push(worker);
      started.push(serveFrom(worker, server, arena, state));
    }
    await Promise.all(started);
  } catch (error) {
    state.closing = true;
    await Promise.all(workers.map((w) => w.terminate()));
    for (const fd of listener.fds.slice(taken)) closeDescriptor(fd);
    await Promise.all(arenas.map((a) => a.release()));
    throw error;
  }
  const host = listener.host.includes(":") ? `[${listener.host}]` : listener.host;
  let stopped: Promise<void> | undefined;
  return {
    origin: `http://${host}:${listener.port}`,
    port: listener.port,
    close: () => {
      state.closing = true;
      return (stopped ??= stopAll(workers).then(() => Promise.all(arenas.map((a) => a.release())).then(() => undefined)));
    },
  };
}

/** A thread's arena, as this thread holds it: the memory, and its bodies not yet answered. */
interface IntakeArena {
  readonly memory: SharedArrayBuffer;
  /** Counts a request here that reads a body in the arena... */
  hold(): void;
  /** ...and one that no longer does. */
  done(): void;
  /** Unpins the memory once no request here reads from it any more. */
  release(): Promise<void>;
}

/**
 * A new arena, pinned on the device of a served model (any model's: with one GPU they share it;
 * pinned memory is pinned for every device). Without a model yet, or where the system will not
 * lock more pages, it stays ordinary memory: bodies still cross as offsets, only their copy to
 * the GPU is slower.
 */
function openArena(server: InferenceServer): IntakeArena {
  const memory = new SharedArrayBuffer(ARENA_BYTES);
  let unpin: (() => void) | null = null;
  const device = server.models.values().next().value?.module.device;
  if (device) {
    try {
      unpin = device.pinHostMemory(memory);
      markPinned(memory);
    } catch (error) {
      server.app.log.warn({ err: error }, "an HTTP intake thread's body memory could not be pinned; its bodies reach the GPU from ordinary memory");
    }
  }
  let held = 0;
  let drained: (() => void) | null = null;
  return {
    memory,
    hold() {
      held++;
    },
    done() {
      if (--held === 0) drained?.();
    },
    async release() {
      // A copy to the GPU may still read a body while its run goes on: unpin only after the last.
      if (held > 0) await new Promise<void>((resolve) => (drained = resolve));
      unpin?.();
      unpin = null;
    },
  };
}

/** Answers `worker`'s requests on `server`; resolves once the worker listens. */
function serveFrom(worker: Worker, server: InferenceServer, arena: IntakeArena, state: { readonly closing: boolean }): Promise<void> {
  const { app } = server;
  // The worker's request ids, to this thread's ids and departure controllers.
  const open = new Map<number, ReturnType<typeof registerForwarded>>();
  const send = (message: ToIntake, transfer: ArrayBuffer[] = []) => worker.postMessage(message, transfer);

  async function answer(message: Extract<FromIntake, { kind: "request" }>): Promise<void> {
    const { shared } = message;
    if (shared) arena.hold();
    const body = shared
      ? Buffer.from(arena.memory, shared.offset, shared.length)
      : message.body
        ? Buffer.from(message.body.buffer, message.body.byteOffset, message.body.byteLength)
        : null;
    const forwarded = registerForwarded(body);
    open.set(message.id, forwarded);
    const headers: IncomingHttpHeaders = { ...message.headers, [FORWARDED_REQUEST_HEADER]: forwarded.id };
    try {
      // No payload: the body parser takes the body from the registry (forwardedBody), and the Content-Length says its size.
      const response = await app.inject({
        method: message.method as InjectOptions["method"],
        url: message.url,
        headers,
        ...(message.remoteAddress ? { remoteAddress: message.remoteAddress } : {}),
        // The options are this module's own: light-my-request's schema check per request is cost for nothing.
        validate: false,
      } as InjectOptions);
      const raw = response.rawPayload;
      // Transferred, so it must be memory of its own: a small answer may be a view of a shared slab.
      const owned = raw.byteOffset === 0 && raw.byteLength === raw.buffer.byteLength ? raw : new Uint8Array(raw);
      // The body's memory goes back too, for the thread's pool: a new 600 KB allocation per request kept V8 collecting.
      const returned = (message.body?.buffer as ArrayBuffer | undefined) ?? null;
      send({ kind: "answer", id: message.id, status: response.statusCode, headers: response.headers, body: owned, returned, sharedOffset: shared?.offset ?? null }, [
        owned.buffer as ArrayBuffer,
        ...(returned ? [returned] : []),
      ]);
    } catch (error) {
      app.log.error(error);
      const body = Buffer.from(JSON.stringify({ error: "the server failed to answer; its log has the details" }));
      send({ kind: "answer", id: message.id, status: 500, headers: { "content-type": "application/json; charset=utf-8" }, body, returned: null, sharedOffset: shared?.offset ?? null });
    } finally {
      open.delete(message.id);
      forgetForwarded(forwarded.id);
      if (shared) arena.done();
    }
  }

  return new Promise((resolve, reject) => {
    worker.on("message", (message: FromIntake) => {
      switch (message.kind) {
        case "request":
          void answer(message);
          break;
        case "gone":
          open.get(message.id)?.gone.abort();
          break;
        case "ready":
          resolve();
          break;
        case "stopped":
          worker.emit("stopped");
          break;
      }
    });
    worker.once("error", (error) => {
      app.log.error({ err: error }, "an HTTP intake thread failed");
      reject(error);
    });
    worker.once("exit", (code) => {
      // Its connections are gone with it: requests still queued here have no one to answer.
      for (const forwarded of open.values()) forwarded.gone.abort();
      if (!state.closing) app.log.error(`an HTTP intake thread exited (code ${code}); its connections are closed, the other threads go on`);
      reject(new Error("an HTTP intake thread exited before it listened"));
    });
  });
}

async function stopAll(workers: readonly Worker[]): Promise<void> {
  await Promise.all(
    workers.map(
      (worker) =>
        new Promise<void>((resolve) => {
          worker.once("stopped", resolve);
          worker.once("exit", () => resolve());
          worker.postMessage({ kind: "stop" } satisfies ToIntake);
        }),
    ),
  );
  await Promise.all(workers.map((w) => w.terminate()));
}
