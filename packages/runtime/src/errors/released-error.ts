import { composeMessage, TrtError } from "./trt-error.js";

/** An object was used after `release()`: its native resources are gone. */
export class ReleasedError extends TrtError {
  /** What was released, e.g. "execution context" or "engine". */
  readonly object: string;
  /** What the caller tried to do with it. */
  readonly operation: string;

  constructor(object: string, operation: string) {
    super(
      "RELEASED",
      composeMessage(`Cannot ${operation}: the ${object} was released`, {
        expected: `a live ${object}`,
        found: `one whose release() has been called`,
        fix: `Create a new ${object}, or release it only after its last use.`,
      }),
    );
    this.object = object;
    this.operation = operation;
  }
}
