/**
 * The package's debug channel: `NODE_DEBUG=trt` prints these lines to stderr
 * (util.debuglog), so "which engine did auto pick, and why" can be answered
 * in production without a code change.
 */
import { debuglog } from "node:util";

/** Writes one line to the `trt` debug channel when NODE_DEBUG includes it. */
export const debug: (message: string, ...args: unknown[]) => void = debuglog("trt");
