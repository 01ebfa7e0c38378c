/**
 * Process-wide state, shared by every copy of this package loaded in the
 * process.
 *
 * An application can easily load this package twice (the ESM build through one
 * dependency, the CJS build through another). "Warn once per process", "one
 * exit hook", "one in-memory cache per implicit cache file" and "scopes on one
 * module nest" must still hold then, so the state lives on `globalThis` under a
 * registered symbol instead of in module variables. It is created on first use,
 * so merely importing the package changes nothing.
 * @module
 */
import type { RuntimeCache } from "./runtime-cache.js";
import type { RuntimeSettings } from "./runtime-settings.js";
import type { WarningHandler } from "./warnings.js";

/** One open scope's record on one target: what to put back when it ends. */
export interface ScopeFrame {
  readonly scope: object;
  prior: RuntimeSettings;
}

/** An implicit cache and the number of owners currently holding it. */
export interface ImplicitCacheEntry {
  readonly cache: RuntimeCache;
  owners: number;
}

/** Everything that must be unique per process. */
export interface SharedState {
  /** Warning codes already emitted by {@link warnOnce}. */
  readonly warned: Set<string>;
  /** Test hook replacing `process.emitWarning`; null for the default. */
  warningHandler: WarningHandler | null;
  /** Per target, the open scopes on it, oldest first. */
  readonly scopeStacks: WeakMap<object, ScopeFrame[]>;
  /** Implicit caches by absolute path. */
  readonly implicitCaches: Map<string, ImplicitCacheEntry>;
  /** Whether the process 'exit' hook that saves implicit caches is registered. */
  exitHookInstalled: boolean;
  /**
   * Asynchronous holders of a cache's lock in this process (saves, and the
   * clean-up a load does), acquiring or holding it, counted by absolute path.
   */
  readonly asyncSaves: Map<string, number>;
  /**
   * This process's name in temporary cache files (see temp-files.ts), made on
   * first use. Optional because a copy of the package from before it existed
   * may have created this object.
   */
  tempWriter?: TempWriterState;
}

/** What names this process's temporary cache files. */
export interface TempWriterState {
  /** Random hex, telling this process from an earlier one that had the same pid. */
  readonly token: string;
  /** Files named so far; each name's last number. */
  counter: number;
}

// Versioned so that a future, incompatible layout never reads this one.
const STATE_KEY = Symbol.for("@trt/settings:shared-state:v1");

/** The process-wide state, created on first call. */
export function sharedState(): SharedState {
  const holder = globalThis as unknown as Record<symbol, SharedState | undefined>;
  let state = holder[STATE_KEY];
  if (state === undefined) {
    state = {
      warned: new Set(),
      warningHandler: null,
      scopeStacks: new WeakMap(),
      implicitCaches: new Map(),
      exitHookInstalled: false,
      asyncSaves: new Map(),
    };
    Object.defineProperty(globalThis, STATE_KEY, { value: state, enumerable: false, configurable: false, writable: false });
  }
  return state;
}
