/**
 * The `Server-Timing` response header (W3C Server Timing), when asked for
 * (`--server-timing`): where a request's time went inside the server, as
 * browsers' developer tools, `curl -v` and load generators can read it.
 *
 *   Server-Timing: receive;dur=0.212, handle;dur=0.804
 *
 * - `receive`: from the request's headers being parsed to its body having
 *   been read (into the body pool) and the route being chosen;
 * - `handle`: from there to the answer being ready to send: admission,
 *   parsing, the queue, the engine run with its copies, encoding.
 *
 * Durations are in milliseconds, as the header's `dur` is. A client's own
 * time for the request, less both, is what the network and HTTP took on the
 * way in and out, and the client itself: what a server cannot see.
 */
import type { FastifyInstance, FastifyRequest } from "fastify";

/** The header's name, as clients read it (lower case). */
export const SERVER_TIMING_HEADER = "server-timing";

/**
 * Adds the hooks that time each request on `app` and answer it with the header. fastify's
 * `reply.elapsedTime` counts from the request's arrival, so one mark per request is kept:
 * the elapsed time when its handler is about to run.
 */
export function addServerTiming(app: FastifyInstance): void {
  const received = new WeakMap<FastifyRequest, number>();
  app.addHook("preHandler", async (request, reply) => {
    received.set(request, reply.elapsedTime);
  });
  app.addHook("onSend", async (request, reply) => {
    const total = reply.elapsedTime;
    // A request refused before its handler (a body too large, say) has no mark: all of it is receive.
    const receive = received.get(request) ?? total;
    reply.header(SERVER_TIMING_HEADER, `receive;dur=${receive.toFixed(3)}, handle;dur=${(total - receive).toFixed(3)}`);
  });
}
