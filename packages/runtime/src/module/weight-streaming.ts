/**
 * Weight streaming at the module level: what a budget request means, how it
 * is checked, and how it reaches every engine of a module.
 *
 * TensorRT keeps the budget per ICudaEngine and refuses to change it while
 * an execution context of that engine exists, so the module drops its
 * contexts first (module.ts) and sets the budget on each engine here; an
 * engine deserialized later gets the same request before its first context.
 */
import type { EngineHandle } from "../engine/contract.js";
import { WeightStreamingError } from "../errors/index.js";

/**
 * A weight-streaming budget: how many bytes of the engine's streamable
 * weights stay in device memory (the rest streams from host memory while the
 * engine runs). A whole number of bytes from 0 (stream all of them; least
 * device memory, slowest) to `info.streamableWeightsBytes` (stream none);
 * `"auto"`: TensorRT's own choice, from the device memory free when it is
 * applied; `"off"`: stream none (the default of a freshly loaded engine).
 */
export type WeightStreamingBudget = number | "auto" | "off";

/** A module's weight-streaming numbers, as its engine reports them. */
export interface WeightStreamingState {
  /** Weight bytes that can stream (getStreamableWeightsSize); 0 unless the engine was built with weight streaming. */
  readonly streamableBytes: number;
  /** Streamable weight bytes kept in device memory now; equal to `streamableBytes` while nothing streams. */
  readonly budgetBytes: number;
  /** The budget TensorRT would choose now (getWeightStreamingAutomaticBudget); what `"auto"` applies. */
  readonly automaticBudgetBytes: number;
  /** Extra scratch each execution context needs at the current budget (getWeightStreamingScratchMemorySize). */
  readonly scratchBytes: number;
  /** Whether some weights stream (budgetBytes < streamableBytes). */
  readonly streaming: boolean;
  /** The last budget set on the module (applied to engines made later too), or null when none was. */
  readonly requested: WeightStreamingBudget | null;
}

/** `budget` checked against the engine; WeightStreamingError when the engine has no streamable weights or the value is out of range. */
export function checkWeightStreamingBudget(budget: unknown, engine: string, streamableBytes: number): WeightStreamingBudget {
  if (streamableBytes <= 0) throw new WeightStreamingError({ problem: "not_streamable", engine, streamableBytes, requested: budget });
  if (budget === "auto" || budget === "off") return budget;
  if (typeof budget !== "number" || !Number.isSafeInteger(budget) || budget < 0 || budget > streamableBytes) {
    throw new WeightStreamingError({ problem: "out_of_range", engine, streamableBytes, requested: budget });
  }
  return budget;
}

/** The byte count `budget` stands for on `engine` ("auto" asks the engine). */
export function weightStreamingBytes(budget: WeightStreamingBudget, engine: EngineHandle): number {
  if (budget === "off") return engine.info.streamableWeightsBytes;
  if (budget === "auto") return engine.weightStreamingAutomaticBudget;
  return budget;
}

/**
 * Sets `bytes[i]` on `engines[i]`, none of which may have an execution
 * context. When one refuses, the engines already changed get their previous
 * budget back before the error propagates, so the module stays consistent.
 */
export function setWeightStreamingBudgets(engines: readonly EngineHandle[], bytes: readonly number[]): void {
  const previous = engines.map((e) => e.weightStreamingBudget);
  let done = 0;
  try {
    for (; done < engines.length; done++) {
      if (engines[done]!.weightStreamingBudget !== bytes[done]) engines[done]!.weightStreamingBudget = bytes[done]!;
    }
  } catch (error) {
    for (let i = 0; i < done; i++) {
      try {
        engines[i]!.weightStreamingBudget = previous[i]!;
      } catch {
        // Best effort: the original error says what went wrong.
      }
    }
    throw error;
  }
}

/** The state of `engine` (null: the module has no engine to ask), with the module's last request. */
export function weightStreamingState(
  engine: EngineHandle | null,
  streamableBytes: number,
  requested: WeightStreamingBudget | null,
): WeightStreamingState {
  if (engine === null || streamableBytes <= 0) {
    return { streamableBytes, budgetBytes: streamableBytes, automaticBudgetBytes: streamableBytes, scratchBytes: 0, streaming: false, requested };
  }
  const budgetBytes = engine.weightStreamingBudget;
  return {
    streamableBytes,
    budgetBytes,
    automaticBudgetBytes: engine.weightStreamingAutomaticBudget,
    scratchBytes: engine.weightStreamingScratchMemoryBytes,
    streaming: budgetBytes < streamableBytes,
    requested,
  };
}
