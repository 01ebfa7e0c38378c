/**
 * Which engine implementation applies right now: the innermost open scope,
 * else the process default (setRuntime), else TRT_RUNTIME, else "auto".
 *
 * Scopes live in AsyncLocalStorage, not in a global that is flipped and
 * flipped back, so two concurrent async tasks in different scopes each see
 * their own, across every await.
 *
 * `withRuntime(kind, fn)` runs fn inside `AsyncLocalStorage.run`: exact.
 *
 * `useRuntime(kind)` (for `using`) has no callback to run, so it uses
 * `enterWith`, which changes the store of the current async context. Called
 * in an async function before its first `await`, that context is the
 * caller's, and the caller keeps the changed store after the call. To keep
 * that from outliving the scope, a scope is a frame that is marked closed on
 * dispose, and closed frames are skipped when reading: once the `using` block
 * ends, everyone (the caller included) sees the previous value again. What
 * remains is that, while the function's scope is open, its caller sees the
 * override too. In async functions prefer withRuntime, or put the `using`
 * after the function's first await.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { enterScope } from "./using-scope.js";
import type { ScopeHandle } from "./using-scope.js";
import type { RuntimeKind } from "./kind.js";
import { parseRuntimeKind, runtimeKindFromEnv } from "./kind.js";

interface Frame {
  readonly kind: RuntimeKind;
  readonly parent: Frame | undefined;
  closed: boolean;
}

const frames = new AsyncLocalStorage<Frame>();
let processDefault: RuntimeKind | undefined;
let envDefault: RuntimeKind | undefined;

function openFrame(): Frame | undefined {
  let frame = frames.getStore();
  while (frame?.closed) frame = frame.parent;
  return frame;
}

/**
 * The engine implementation in effect here ("native", "ffi" or "auto"):
 * the innermost scope, else {@link setRuntime}'s value, else TRT_RUNTIME
 * (read once), else "auto".
 */
export function getRuntime(): RuntimeKind {
  const frame = openFrame();
  if (frame) return frame.kind;
  if (processDefault) return processDefault;
  envDefault ??= runtimeKindFromEnv();
  return envDefault;
}

/**
 * Sets the process default. `undefined` goes back to TRT_RUNTIME (read again)
 * or "auto". Scopes still take precedence where they are open.
 */
export function setRuntime(kind: RuntimeKind | undefined): void {
  if (kind === undefined) {
    processDefault = undefined;
    envDefault = undefined;
    return;
  }
  processDefault = parseRuntimeKind(kind, "setRuntime()");
}

/**
 * Runs `fn` with `kind` in effect, across its awaits, and for nothing else
 * (other async tasks, the caller afterwards). Returns what `fn` returns.
 */
export function withRuntime<T>(kind: RuntimeKind, fn: () => T): T {
  const parsed = parseRuntimeKind(kind, "withRuntime()");
  return frames.run({ kind: parsed, parent: frames.getStore(), closed: false }, fn);
}

/** A scope opened by {@link useRuntime}; ends at `using`'s block end or when disposed. */
export interface RuntimeScope extends ScopeHandle {
  /** The implementation this scope selects. */
  readonly kind: RuntimeKind;
}

/**
 * Selects `kind` until the returned scope is disposed:
 * `using _ = useRuntime("ffi")`. See the module comment for how this behaves
 * in async functions; {@link withRuntime} is exact everywhere.
 */
export function useRuntime(kind: RuntimeKind): RuntimeScope {
  const parsed = parseRuntimeKind(kind, "useRuntime()");
  return enterScope(frames, { kind: parsed, parent: frames.getStore(), closed: false }, { kind: parsed });
}
