import { composeMessage, TrtError } from "./trt-error.js";

/**
 * Why a weight-streaming budget was refused:
 * - `not_streamable`: the engine was built without weight streaming (it has no streamable weights).
 * - `out_of_range`: the budget is not a whole number of bytes in [0, streamable weight bytes].
 */
export type WeightStreamingProblem = "not_streamable" | "out_of_range";

export interface WeightStreamingErrorDetails {
  readonly problem: WeightStreamingProblem;
  /** The module (engine) name. */
  readonly engine: string;
  /** The engine's streamable weight bytes (getStreamableWeightsSize). */
  readonly streamableBytes: number;
  /** The budget asked for, as given. */
  readonly requested: unknown;
}

/** A weight-streaming budget the engine cannot take; nothing was changed. */
export class WeightStreamingError extends TrtError {
  readonly problem: WeightStreamingProblem;
  readonly streamableBytes: number;
  readonly requested: unknown;

  constructor(details: WeightStreamingErrorDetails) {
    const requested = typeof details.requested === "string" ? JSON.stringify(details.requested) : String(details.requested);
    const parts =
      details.problem === "not_streamable"
        ? {
            expected: "an engine built with weight streaming (streamable weights > 0)",
            found: `engine "${details.engine}" has no streamable weights, so its weights always stay in device memory`,
            fix: "Rebuild the engine with TensorRT's kWEIGHT_STREAMING builder flag (Torch-TensorRT: enable_weight_streaming=True), or leave the budget alone.",
          }
        : {
            expected: `a budget in whole bytes from 0 to ${details.streamableBytes} (the streamable weight bytes), "auto" or "off"`,
            found: requested,
            fix: `Pass a byte count within that range: 0 streams every streamable weight, ${details.streamableBytes} (or "off") keeps all of them in device memory.`,
          };
    super("WEIGHT_STREAMING", composeMessage("Invalid weight streaming budget", parts));
    this.problem = details.problem;
    this.streamableBytes = details.streamableBytes;
    this.requested = details.requested;
  }
}
