import { composeMessage, TrtError } from "./trt-error.js";

/**
 * One TensorRT call failed (code TENSORRT_CALL_FAILED): the method returned
 * false or null. Named for that, apart from TrtError, the base class of every
 * error of this package. TensorRT says why only through its logger, so the
 * message carries the last error the logger received during that call (or
 * null when it logged none).
 */
export class TensorRTCallError extends TrtError {
  /** The TensorRT method that failed, e.g. "IExecutionContext::setInputShape". */
  readonly method: string;
  /** The logger's last error-severity message during the failing call. */
  readonly loggerMessage: string | null;
  /**
   * Every error-severity message of the failing call, oldest first (the last
   * one is `loggerMessage`). TensorRT often logs the cause before the
   * verdict: a missing plugin's name and version, then "deserialization failed".
   */
  readonly loggerMessages: readonly string[];

  constructor(method: string, loggerMessage: string | null, context?: string, loggerMessages?: readonly string[]) {
    // The first error is often the cause and the last only the verdict ("Assertion iEngine failed"): show both.
    const first = loggerMessages && loggerMessages.length > 1 && loggerMessages[0] !== loggerMessage ? loggerMessages[0] : undefined;
    super(
      "TENSORRT_CALL_FAILED",
      composeMessage(`TensorRT ${method} failed${context ? ` (${context})` : ""}`, {
        expected: "the call to succeed",
        found: loggerMessage
          ? `TensorRT reported: ${loggerMessage}${first ? ` (the first of its ${loggerMessages!.length} errors in the call: ${first})` : ""}`
          : "a failure with no message from TensorRT's logger",
        fix: loggerMessage
          ? "Fix what TensorRT reported; set a log sink with minSeverity 'verbose' to see what led to it."
          : "Set a log sink with minSeverity 'verbose' to see what TensorRT did before failing.",
      }),
    );
    this.method = method;
    this.loggerMessage = loggerMessage;
    this.loggerMessages = Object.freeze(loggerMessages ? [...loggerMessages] : loggerMessage !== null ? [loggerMessage] : []);
  }
}

/**
 * The former name of {@link TensorRTCallError}, the same class.
 * @deprecated Use TensorRTCallError; this alias is removed in the next minor release.
 */
export const TensorRTError = TensorRTCallError;
/** @deprecated Use TensorRTCallError. */
export type TensorRTError = TensorRTCallError;
