/**
 * V8 without incremental marking, for the CLI's own process.
 *
 * Under a stream of large request bodies, fastify's request path makes V8
 * start incremental marking again and again, each round ending in a full
 * mark-compact of the whole heap. Measured on a 2-core machine with 602 KB
 * bodies, one client, answered at once (a minimal fastify app, no engine):
 * a mark-compact every 30-40 requests (176-224 in 6,000-7,000), and 1,095
 * requests/s at one client, 1,420 at four; a node:http server reading the
 * same bodies ran one mark-compact in 15,000. With incremental marking off,
 * V8 frees the bodies' chunks in young-generation collections instead: 1-3
 * mark-compacts, and 1,697 and 2,588 requests/s. trt-server itself on the
 * host-mode emulator (602 KB in, 32 bytes out; two rounds, `node
 * --incremental-marking` against this): 54-58 mark-compacts in 1,240-1,450
 * requests against 1-6, and 0-17% more requests/s, the emulator's own work
 * on the host taking most of each request's time there.
 *
 * Marking in one go costs a pause as long as the live heap takes to mark,
 * which for this server (tens of megabytes: engines and tensors live in
 * native memory) is a few milliseconds, and it now comes rarely.
 *
 * This is the CLI's choice for its own process, like large-allocations.ts;
 * buildServer leaves the program that embeds it alone. A marking flag given
 * to node (`node --incremental-marking ...`) is kept.
 */
import { setFlagsFromString } from "node:v8";

export type MarkingOutcome = { readonly changed: true } | { readonly changed: false; readonly reason: string };

/** Turns V8's incremental marking off, unless node was started with a choice of its own. */
export function stopIncrementalMarking(execArgv: readonly string[] = process.execArgv): MarkingOutcome {
  const given = execArgv.find((arg) => /^--(no-)?incremental[-_]marking(=|$)/.test(arg));
  if (given !== undefined) return { changed: false, reason: `node was started with ${given}` };
  setFlagsFromString("--no-incremental-marking");
  return { changed: true };
}
