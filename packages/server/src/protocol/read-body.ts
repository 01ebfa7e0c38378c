/**
 * Reading a request body into one Buffer. With a Content-Length (what every
 * client here sends) the buffer is allocated once at that size and each chunk
 * is copied into place as it arrives: no list of chunks held until the end and
 * then concatenated, which for a 20 MB body briefly needed twice its size and
 * left the process's resident memory high long after. Without one (chunked
 * transfer) the chunks are gathered and joined once. Either way the body limit
 * is enforced as bytes arrive, so an oversized body is refused before it is
 * all in memory.
 */
import type { IncomingMessage } from "node:http";
import type { BodyMemory } from "./body-pool.js";
import { badRequest, ProtocolError } from "./errors.js";

/**
 * The body of `request`, at most `limit` bytes (a 413 ProtocolError past it). With binary tensor
 * data, the buffer is placed so that the bytes after the JSON header (whose length the
 * Inference-Header-Content-Length header gives) start 8-byte aligned: each input can then be
 * handed to the engine as a typed-array view of the body, with no copy (a Float32Array cannot
 * start at an odd offset). With a `pool`, a body with a Content-Length is placed in memory lent by
 * it (given back here if reading fails; the caller gives it back once done with it).
 */
export function readBody(request: IncomingMessage, limit: number, pool?: BodyMemory): Promise<Buffer> {
  const tooLarge = () => new ProtocolError(413, `the request body is larger than the server's limit of ${limit} bytes`);
  const declaredHeader = request.headers["content-length"];
  const declared = declaredHeader === undefined ? null : Number(declaredHeader);
  if (declared !== null && !(Number.isSafeInteger(declared) && declared >= 0)) return Promise.reject(badRequest(`the Content-Length header is not a byte count: "${declaredHeader}"`));
  if (declared !== null && declared > limit) {
    // Not read: Node's server discards the rest once the answer is sent and the connection closes.
    return Promise.reject(tooLarge());
  }
  return new Promise((resolve, reject) => {
    // allocUnsafeSlow: a buffer of its own, never a slice of Node's shared pool that a small body could pin.
    const jsonLength = Number(request.headers["inference-header-content-length"] ?? 0);
    const pad = Number.isSafeInteger(jsonLength) && jsonLength > 0 ? (8 - (jsonLength % 8)) % 8 : 0;
    const whole = declared === null ? null : (pool ? pool.take(declared + pad) : Buffer.allocUnsafeSlow(declared + pad)).subarray(pad);
    const chunks: Buffer[] = [];
    let received = 0;
    let settled = false;
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      request.removeListener("data", onData);
      request.resume();
      pool?.give(whole);
      reject(error);
    };
    const onData = (chunk: Buffer) => {
      if (settled) return;
      const next = received + chunk.length;
      if (next > limit) return fail(tooLarge());
      if (whole) {
        if (next > whole.length) return fail(badRequest(`the body is longer than its Content-Length of ${whole.length} bytes`));
        chunk.copy(whole, received);
      } else {
        chunks.push(chunk);
      }
      received = next;
    };
    request.on("data", onData);
    request.on("error", (error) => fail(error));
    request.on("end", () => {
      if (settled) return;
      if (whole && received !== whole.length) return fail(badRequest(`the body has ${received} bytes, but its Content-Length says ${whole.length}`));
      settled = true;
      resolve(whole ?? (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, received)));
    });
  });
}
