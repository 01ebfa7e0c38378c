/**
 * execute / executeSync / executeAsync of the addon's ExecutionContext,
 * defined here on its prototype over the binary's `executeEntry`. Reading
 * `request.inputShapes`, `.addresses` and `.stream` in JavaScript and passing
 * them as arguments is cheaper than reading them through Node-API properties,
 * and this is the hot path: one call per inference. The binary checks
 * everything it is given (the receiver's type tag, the arrays, the stream).
 */
import type { ExecuteRequest } from "./engine-contract.js";
import type { ExecuteEntry, NativeAddon } from "./types.js";

/** executeEntry's first argument (ExecuteKind in cpp/context_wrap.cc). */
const KIND = { execute: 0, executeSync: 1, executeAsync: 2, notAnObject: 8 } as const;

/** The three methods over one addon's entry. */
function executeMethods(entry: ExecuteEntry) {
  return {
    execute(this: object, request: ExecuteRequest): void {
      if (typeof request === "object" && request !== null) {
        entry.call(this, KIND.execute, request.inputShapes, request.addresses, request.stream);
      } else {
        entry.call(this, KIND.execute | KIND.notAnObject);
      }
    },
    executeSync(this: object, request: ExecuteRequest): void {
      if (typeof request === "object" && request !== null) {
        entry.call(this, KIND.executeSync, request.inputShapes, request.addresses, request.stream);
      } else {
        entry.call(this, KIND.executeSync | KIND.notAnObject);
      }
    },
    executeAsync(this: object, request: ExecuteRequest): Promise<void> {
      // Every failure, a bad request included, comes back as a rejection (the binary's GuardAsync).
      if (typeof request === "object" && request !== null) {
        return entry.call(this, KIND.executeAsync, request.inputShapes, request.addresses, request.stream) as Promise<void>;
      }
      return entry.call(this, KIND.executeAsync | KIND.notAnObject) as Promise<void>;
    },
  };
}

/** Puts execute, executeSync and executeAsync on the addon's ExecutionContext prototype (writable, not enumerable, as methods are). */
export function installExecuteMethods(addon: NativeAddon): void {
  const prototype = addon.ExecutionContext.prototype as object;
  for (const [name, method] of Object.entries(executeMethods(addon.executeEntry))) {
    Object.defineProperty(prototype, name, { value: method, writable: true, configurable: true, enumerable: false });
  }
}
