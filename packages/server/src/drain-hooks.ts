/**
 * What a fastify app needs to shut down without dropping work: a count of the
 * requests between arrival and answer (what a shutdown waits for), answers that
 * end their connection once close() has begun (an idle keep-alive connection
 * would otherwise hold the shutdown until a keep-alive timeout), and a last step
 * after the server has answered everything it received.
 */
import type { FastifyInstance } from "fastify";

/**
 * Adds the hooks to `app` and returns the live request count.
 * @param afterAnswered runs on close, once every received request was answered: an inference
 *   whose client hung up may still be running there, so close admission gates here (closing
 *   them earlier, at preClose, would turn away requests whose body was still arriving).
 */
export function addDrainHooks(app: FastifyInstance, afterAnswered: () => Promise<unknown>): () => number {
  let inFlight = 0;
  let closing = false;
  app.addHook("onRequest", async () => {
    inFlight++;
  });
  app.addHook("onResponse", async () => {
    inFlight--;
  });
  app.addHook("preClose", async () => {
    closing = true;
  });
  app.addHook("onSend", async (_request, reply) => {
    if (closing) reply.header("connection", "close");
  });
  app.addHook("onClose", async () => {
    await afterAnswered();
  });
  return () => inFlight;
}
