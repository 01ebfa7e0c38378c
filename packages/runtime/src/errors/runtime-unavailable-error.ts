import type { EngineImplementation } from "../engine/contract.js";
import { composeMessage, TrtError } from "./trt-error.js";

/** What could not be loaded: an engine implementation, or one of the libraries under it. */
export type UnavailableComponent = EngineImplementation | "tensorrt" | "cuda" | "device";

export interface RuntimeUnavailableDetails {
  readonly component: UnavailableComponent;
  /** What the runtime needed, e.g. "libnvinfer.so.10 or libnvinfer.so.11". */
  readonly expected: string;
  /** Why it could not be used, e.g. the dlopen error of the last path tried. */
  readonly reason: string;
  /** What the user can do, e.g. which environment variable to set. */
  readonly fix: string;
  /** Every path or loader name tried, in order. */
  readonly pathsTried?: readonly string[];
  readonly cause?: unknown;
}

/**
 * An engine implementation, TensorRT, CUDA or a device cannot be used in this
 * process. Says which, why, how to fix it, and every path that was tried.
 */
export class RuntimeUnavailableError extends TrtError {
  readonly component: UnavailableComponent;
  readonly reason: string;
  readonly fix: string;
  readonly pathsTried: readonly string[];

  constructor(details: RuntimeUnavailableDetails) {
    // The paths go into the message unless the reason already names every one (a summarized search does).
    const unnamed = (details.pathsTried ?? []).filter((p) => !details.reason.includes(p));
    const tried = unnamed.length > 0 ? ` (tried: ${details.pathsTried!.join(", ")})` : "";
    super(
      "RUNTIME_UNAVAILABLE",
      composeMessage(`${details.component} is unavailable`, {
        expected: details.expected,
        found: `${details.reason}${tried}`,
        fix: details.fix,
      }),
      { cause: details.cause },
    );
    this.component = details.component;
    this.reason = details.reason;
    this.fix = details.fix;
    this.pathsTried = Object.freeze([...(details.pathsTried ?? [])]);
  }
}
