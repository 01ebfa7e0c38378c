/**
 * Multi-device safe mode, as in Torch-TensorRT
 * (`torch_tensorrt.runtime.set_multi_device_safe_mode`): whether every run
 * asks CUDA which device is current and, when it is not the module's, makes
 * the module's device current (warning once per process) before enqueueing.
 * Off by default, as there: the query costs a driver call per run.
 *
 * What "off" means here differs from Torch-TensorRT in one way, on purpose.
 * There, with safe mode off, nothing switches devices and the caller must keep
 * the engine's device current. In Node that cannot work: runs are async, so
 * two modules on two GPUs interleave on the one JS thread and no caller can
 * set the device between them. So this runtime always switches to a module's
 * device itself, but with safe mode off it decides from its own record of the
 * device it last made current (an integer comparison, no CUDA call), and
 * never asks CUDA. That record is exact as long as only this runtime changes
 * the current device. Safe mode is for when something else may too (another
 * native addon, a CUDA binding called by the application): then only asking
 * CUDA before each run is safe.
 *
 * The device is not switched back after a run (neither does Torch-TensorRT):
 * the module's device stays current.
 *
 * The setting is process state with scoped overrides, like the engine
 * selection (selection/scope.ts): scopes live in AsyncLocalStorage, so a
 * scope covers exactly the work started inside it, across its awaits, and two
 * concurrent tasks in different scopes each see their own value.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { enterScope } from "../selection/using-scope.js";
import type { ScopeHandle } from "../selection/using-scope.js";

interface Frame {
  readonly on: boolean;
  readonly parent: Frame | undefined;
  closed: boolean;
}

const frames = new AsyncLocalStorage<Frame>();
let processDefault = false;

function openFrame(): Frame | undefined {
  let frame = frames.getStore();
  while (frame?.closed) frame = frame.parent;
  return frame;
}

function checkMode(on: unknown, helper: string): boolean {
  if (typeof on !== "boolean") throw new TypeError(`${helper}: pass true (check and switch the device before every run) or false; got ${String(on)}.`);
  return on;
}

/** Whether multi-device safe mode is in effect here: the innermost open scope, else the process setting (default false). */
export function getMultiDeviceSafeMode(): boolean {
  const frame = openFrame();
  return frame ? frame.on : processDefault;
}

/** Sets multi-device safe mode for the process. Open scopes still take precedence where they are open. */
export function setMultiDeviceSafeMode(on: boolean): void {
  processDefault = checkMode(on, "setMultiDeviceSafeMode()");
}

/**
 * Runs `fn` with multi-device safe mode `on`, across its awaits, and for
 * nothing else (other async tasks, the caller afterwards): when `fn` returns,
 * throws, or its promise settles, the previous value is in effect again.
 * Returns what `fn` returns.
 */
export function withMultiDeviceSafeMode<T>(on: boolean, fn: () => T): T {
  const mode = checkMode(on, "withMultiDeviceSafeMode()");
  if (typeof fn !== "function") throw new TypeError("withMultiDeviceSafeMode(): the second argument must be a function.");
  return frames.run({ on: mode, parent: frames.getStore(), closed: false }, fn);
}

/** A scope opened by {@link useMultiDeviceSafeMode}; ends at `using`'s block end or when disposed. */
export interface MultiDeviceSafeModeScope extends ScopeHandle {
  /** The value this scope sets. */
  readonly on: boolean;
}

/**
 * Sets multi-device safe mode until the returned scope is disposed:
 * `using _ = useMultiDeviceSafeMode(true)`. In async functions this has the
 * caveat useRuntime has (selection/scope.ts): while the scope is open, the
 * function's caller sees it too; {@link withMultiDeviceSafeMode} is exact.
 */
export function useMultiDeviceSafeMode(on: boolean): MultiDeviceSafeModeScope {
  const mode = checkMode(on, "useMultiDeviceSafeMode()");
  return enterScope(frames, { on: mode, parent: frames.getStore(), closed: false }, { on: mode });
}
