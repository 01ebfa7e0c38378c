/**
 * What every TensorRT callback object implemented in JS (IProfiler,
 * IOutputAllocator) shares: the caller object TensorRT holds, and the first
 * exception a hook threw. An exception cannot cross the C++ frames that
 * called the hook, so the hook records it and answers TensorRT harmlessly;
 * the call that checks afterwards (execute, reportToProfiler) rethrows it.
 */
import type { CallerObject } from "./caller-object.js";

export abstract class HookObject {
  protected abstract readonly object: CallerObject;
  /** The first exception a hook threw since the last takeError(). */
  private error: unknown = undefined;

  /** The object's address, for TensorRT. */
  get address(): number {
    return this.object.address;
  }

  /** Returns and clears the exception a hook threw, if any. */
  takeError(): unknown {
    const e = this.error;
    this.error = undefined;
    return e;
  }

  release(): void {
    this.object.release();
  }

  /** Runs a hook, keeping its exception (the first since the last takeError) and returning `fallback` instead. */
  protected guard<T>(fallback: T, hook: () => T): T {
    try {
      return hook();
    } catch (error) {
      this.error ??= error;
      return fallback;
    }
  }
}
