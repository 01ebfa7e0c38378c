/**
 * The callback form shared by every scoped helper: run `fn` inside an open
 * scope and end the scope when `fn` is done, whether it returned, threw,
 * resolved or rejected. A synchronous `fn` gets a synchronous end and its
 * result back unchanged; a promise-returning `fn` gets a promise that settles
 * after the scope has ended.
 * @module
 */

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === "object" || typeof value === "function") && value !== null && typeof (value as { then?: unknown }).then === "function";
}

/** A scope as the callback runner needs it: a synchronous and an asynchronous way to end it. */
export interface EndableScope {
  close(): void;
  closeAsync(): Promise<void>;
}

/** Throws a TypeError unless `fn` is a function (checked before a scope opens). */
export function checkCallback(fn: unknown, helper: string): void {
  if (typeof fn !== "function") throw new TypeError(`${helper}: the last argument must be a function (or leave it out to get a disposable scope).`);
}

/** Runs `fn(scope)` and ends `scope` afterwards; returns what `fn` returned (a promise if it returned one). */
export function runInScope<S extends EndableScope, R>(scope: S, fn: (scope: S) => R): R {
  let result: R;
  try {
    result = fn(scope);
  } catch (error) {
    scope.close();
    throw error;
  }
  if (!isPromiseLike(result)) {
    scope.close();
    return result;
  }
  return Promise.resolve(result).then(
    async (value) => {
      await scope.closeAsync();
      return value;
    },
    async (error: unknown) => {
      await scope.closeAsync();
      throw error;
    },
  ) as R;
}
