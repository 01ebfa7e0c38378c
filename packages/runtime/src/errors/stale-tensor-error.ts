import { composeMessage, TrtError } from "./trt-error.js";

/**
 * A tensor returned by a module made with `outputMemory: "reused"` was used
 * after the memory it views was handed to a later run (or freed with the
 * module). Reading it would return another run's data, so it throws instead.
 */
export class StaleTensorError extends TrtError {
  /** The output the tensor was. */
  readonly output: string;
  /** What the caller tried to do with it. */
  readonly operation: string;

  constructor(output: string, operation: string, why: "overwritten" | "released") {
    super(
      "STALE_TENSOR",
      composeMessage(`Cannot ${operation}: output "${output}" lives in module-owned memory that ${why === "overwritten" ? "a later run has reused" : "was freed when the module was released"}`, {
        expected: "a reused output read before the next run on its module (outputMemory: \"reused\")",
        found: why === "overwritten" ? "a tensor from an earlier run" : "a tensor of a released module",
        fix: 'Read or copy it (`await tensor.copyTo(module.device)`) before the next run, or make the module with outputMemory: "owned".',
      }),
    );
    this.output = output;
    this.operation = operation;
  }
}
