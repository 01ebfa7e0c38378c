import { composeMessage, TrtError } from "./trt-error.js";

/**
 * The engine's inspector has no per-layer details: TensorRT only describes
 * layers (types, tensors, tactics) for engines built with detailed profiling
 * verbosity; others report layer names at most.
 */
export class LayerInformationUnavailableError extends TrtError {
  /** What the engine's inspector gave instead, e.g. "layer names only". */
  readonly found: string;

  constructor(engine: string, found: string) {
    super(
      "LAYER_INFORMATION_UNAVAILABLE",
      composeMessage(`Engine "${engine}" carries no detailed layer information`, {
        expected: "an engine built with profiling verbosity DETAILED",
        found,
        fix: "Rebuild the engine with ProfilingVerbosity.kDETAILED (trtexec --profilingVerbosity=detailed; builder config profiling_verbosity in Python). Per-layer times (run option profiling) work without it.",
      }),
    );
    this.found = found;
  }
}
