import { composeMessage, TrtError } from "./trt-error.js";

/**
 * Which property of an input is wrong; "argument" is an argument of a lower-level
 * call that is of the wrong kind (from the native engine's own checks).
 */
export type InputProblem = "name" | "count" | "dtype" | "rank" | "shape" | "device" | "size" | "argument";

export interface InputErrorDetails {
  readonly problem: InputProblem;
  /** The I/O tensor concerned, or null when the problem is about the set of inputs. */
  readonly tensor: string | null;
  readonly expected: string;
  readonly found: string;
  readonly fix: string;
}

/** A tensor handed to the runtime does not match the engine's binding (name, dtype, shape, device). */
export class InputError extends TrtError {
  readonly problem: InputProblem;
  readonly tensor: string | null;
  readonly expected: string;
  readonly found: string;

  constructor(details: InputErrorDetails) {
    const subject = details.tensor === null ? "inputs" : `input "${details.tensor}"`;
    super(
      "INVALID_INPUT",
      composeMessage(`Invalid ${details.problem} for ${subject}`, {
        expected: details.expected,
        found: details.found,
        fix: details.fix,
      }),
    );
    this.problem = details.problem;
    this.tensor = details.tensor;
    this.expected = details.expected;
    this.found = details.found;
  }
}
