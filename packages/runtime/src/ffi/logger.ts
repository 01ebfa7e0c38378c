/**
 * The ILogger handed to createInferRuntime. TensorRT reports why a call failed
 * only through the logger, so besides forwarding messages to the user's sink
 * it remembers the last error: callers note `errorCount` before a call and,
 * when the call fails, ask for the last error logged since (cheap enough for
 * the hot path: reading a number).
 */
import type { AbiTable } from "../abi/tables.generated.js";
import type { LogSeverity, LogSink } from "../engine/contract.js";
import { createCallerObject } from "./caller-object.js";
import type { CallerObject } from "./caller-object.js";

/** How many recent errors are kept for errorsSince (a failing call logs a few at most). */
const RECENT_ERRORS = 32;

/** ILogger::Severity values, most severe first (0..4). */
const SEVERITIES: readonly LogSeverity[] = ["internal_error", "error", "warning", "info", "verbose"];

/** Maps ILogger::Severity to its name; unknown values are treated as verbose. */
export function severityName(value: number): LogSeverity {
  return SEVERITIES[value] ?? "verbose";
}

/** Rank of a severity (0 = internal_error ... 4 = verbose). */
export function severityRank(severity: LogSeverity): number {
  return SEVERITIES.indexOf(severity);
}

export class FfiLogger {
  private sink: LogSink | null = null;
  private maxRank = severityRank("warning");
  private errors = 0;
  private last: string | null = null;
  /** The last RECENT_ERRORS errors; `recent[i]` is error number `errors - recent.length + i`. */
  private readonly recent: string[] = [];
  private readonly object: CallerObject;

  constructor(table: AbiTable) {
    this.object = createCallerObject(table, "ILogger", {
      log: (severity: number, message: string | null) => this.log(severity, message ?? ""),
    });
  }

  /** The ILogger* to hand TensorRT. Valid until release(). */
  get address(): number {
    return this.object.address;
  }

  /** Errors (and internal errors) logged so far; note it before a call to attribute failures. */
  get errorCount(): number {
    return this.errors;
  }

  /** The last error logged after `mark` was read from errorCount, or null if none was. */
  errorSince(mark: number): string | null {
    return this.errors > mark ? this.last : null;
  }

  /**
   * Every error logged after `mark` was read from errorCount, oldest first
   * (the last 32 at most). A failing call may log its cause before its
   * verdict, e.g. the missing plugin's name, then "deserialization failed".
   */
  errorsSince(mark: number): string[] {
    const count = Math.min(this.errors - mark, this.recent.length);
    return count > 0 ? this.recent.slice(this.recent.length - count) : [];
  }

  /** Forwards messages of `minSeverity` and more severe to `sink`; null stops forwarding (errors are still remembered). */
  setSink(sink: LogSink | null, minSeverity: LogSeverity = "warning"): void {
    this.sink = sink;
    this.maxRank = severityRank(minSeverity);
  }

  /** Handles one message from TensorRT. Never throws: an exception must not unwind through C++ frames. */
  log(severityValue: number, message: string): void {
    const severity = severityName(severityValue);
    const rank = severityRank(severity);
    if (rank <= 1) {
      this.errors++;
      this.last = message;
      this.recent.push(message);
      if (this.recent.length > RECENT_ERRORS) this.recent.shift();
    }
    if (this.sink && rank <= this.maxRank) {
      try {
        this.sink(severity, message);
      } catch {
        // A failing sink loses its message; it must not turn into a TensorRT failure.
      }
    }
  }

  /** Frees the object; only after every runtime created with it is destroyed. */
  release(): void {
    this.object.release();
  }
}
