/**
 * What an intake thread and the main thread tell each other. A request's
 * body and an answer's body travel as transferred memory, not copied.
 */
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from "node:http";

/** What an intake thread starts with. */
export interface IntakeWorkerData {
  /** Its own descriptor of the listening socket (shared-listener.ts). */
  readonly fd: number;
  /** Memory both threads see, where the thread reads bodies (intake-bodies.ts); pinned by the main thread where it could. */
  readonly arena: SharedArrayBuffer;
  /** The server's body limit in bytes: larger bodies are refused (413) before they reach the main thread. */
  readonly bodyLimit: number;
}

/** From an intake thread. */
export type FromIntake =
  | { readonly kind: "ready" }
  /** A request whose body has been read. `id` is the thread's own. */
  | {
      readonly kind: "request";
      readonly id: number;
      readonly method: string;
      readonly url: string;
      readonly headers: IncomingHttpHeaders;
      /** The body, transferred; null when it is empty or lies in the arena. */
      readonly body: Uint8Array | null;
      /** The body's place in the arena, when it lies there. */
      readonly shared: { readonly offset: number; readonly length: number } | null;
      readonly remoteAddress: string | undefined;
    }
  /** The client of request `id` closed its connection before the answer. */
  | { readonly kind: "gone"; readonly id: number }
  /** After "stop": no connection is left open. */
  | { readonly kind: "stopped" };

/** To an intake thread. */
export type ToIntake =
  /** `returned`: the request body's memory, back for the thread's pool; `sharedOffset`: its place in the arena, now free. */
  | {
      readonly kind: "answer";
      readonly id: number;
      readonly status: number;
      readonly headers: OutgoingHttpHeaders;
      readonly body: Uint8Array;
      readonly returned: ArrayBuffer | null;
      readonly sharedOffset: number | null;
    }
  /** Stop accepting, answer what is in progress with `Connection: close`, then say "stopped". */
  | { readonly kind: "stop" };
