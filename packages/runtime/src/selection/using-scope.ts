/**
 * The `using` form shared by the process-wide scoped settings (runtime
 * selection, multi-device safe mode): enter a frame for the rest of the
 * current async context, and hand back a handle that ends it. A frame is
 * marked closed rather than removed, because async work started inside the
 * scope may still hold it; readers skip closed frames.
 */
import type { AsyncLocalStorage } from "node:async_hooks";

/** What `use…()` returns: ends at `using`'s block end or when disposed. */
export interface ScopeHandle extends Disposable {
  /** Whether the scope has not ended yet. */
  readonly active: boolean;
  /** Ends the scope (the same as leaving the `using` block). Idempotent. */
  close(): void;
}

/** Enters `frame` (whose parent is the current store) and returns its handle, with `extra` fields on it. */
export function enterScope<F extends { closed: boolean }, X extends object>(frames: AsyncLocalStorage<F>, frame: F, extra: X): X & ScopeHandle {
  const previous = frames.getStore();
  frames.enterWith(frame);
  const close = () => {
    if (frame.closed) return;
    frame.closed = true;
    // Put the context we are in back to what it was (when it is still ours); leaked copies skip the closed frame.
    if (frames.getStore() === frame) frames.enterWith(previous as F);
  };
  return {
    ...extra,
    get active() {
      return !frame.closed;
    },
    close,
    [Symbol.dispose]: close,
  };
}
