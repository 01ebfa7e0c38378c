/**
 * Requests that an intake thread received and the main thread answers
 * through `app.inject`. Such a request has no socket on the main thread, so
 * the usual sign that its client left (the response closing unfinished)
 * never comes; the intake thread says so instead, and the inference route
 * learns it here, by the id the bridge puts in a header of the request.
 */
import { randomUUID } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";

/** The header that carries a forwarded request's id (intake threads overwrite any a client sent). */
export const FORWARDED_REQUEST_HEADER = "x-trt-intake-request";

/** Unguessable per process, so a client cannot name another's request. */
const PREFIX = randomUUID();
/** A forwarded request as the main thread holds it while answering it. */
export interface ForwardedRequest {
  /** The header's value. */
  readonly id: string;
  /** Its body as the intake thread read it (already whole), or null for none. */
  readonly body: Buffer | null;
  /** Aborted when its client leaves. */
  readonly gone: AbortController;
}

const forwarded = new Map<string, ForwardedRequest>();
let lastId = 0;

/** A new forwarded request with its `body`. */
export function registerForwarded(body: Buffer | null): ForwardedRequest {
  const entry = { id: `${PREFIX}-${++lastId}`, body, gone: new AbortController() };
  forwarded.set(entry.id, entry);
  return entry;
}

/** The forwarded request is answered: nothing reads its body or listens for its departure any more. */
export function forgetForwarded(id: string): void {
  forwarded.delete(id);
}

function lookup(headers: IncomingHttpHeaders): ForwardedRequest | undefined {
  const id = headers[FORWARDED_REQUEST_HEADER];
  return typeof id === "string" ? forwarded.get(id) : undefined;
}

/** For a forwarded request, a signal aborted when its client leaves; undefined for any other request. */
export function forwardedDeparture(headers: IncomingHttpHeaders): AbortSignal | undefined {
  return lookup(headers)?.gone.signal;
}

/**
 * For a forwarded request, its body, already read by the intake thread: the body parser takes it as
 * it is instead of reading (and copying) it again. Undefined for any other request.
 */
export function forwardedBody(headers: IncomingHttpHeaders): Buffer | undefined {
  return lookup(headers)?.body ?? undefined;
}
