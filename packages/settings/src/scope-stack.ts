/**
 * The nesting rule for scopes, per target.
 *
 * Each target has a stack of the scopes open on it, each remembering the value
 * the target had just before that scope changed it (its "prior"). The value in
 * effect is always the newest open scope's.
 *
 * - The newest scope ends: the target gets that scope's prior back.
 * - An older scope ends first (out of order): the target is left alone (the
 *   newer scope's value stays in effect) and the ending scope's prior is handed
 *   to the next newer scope, which will restore it when it ends.
 *
 * Either way, once every scope on a target has ended, the target holds exactly
 * the value it had before the first of them began, whatever order they ended
 * in. Scopes on different sets of targets keep independent stacks per target,
 * so overlapping sets behave like separate nestings.
 * @module
 */
import type { RuntimeSettings } from "./runtime-settings.js";
import { sharedFields } from "./shared-state.js";
import { applyRuntimeSettings, restoreRuntimeSettings, type SettingsTarget } from "./target.js";

/** One open scope's record on one target: what to put back when it ends. */
interface ScopeFrame {
  readonly scope: object;
  prior: RuntimeSettings;
}

/** Per target, the open scopes on it, oldest first (process-wide: every copy of the package sees the same stacks). */
const scopeStacks = (): WeakMap<object, ScopeFrame[]> => sharedFields<{ scopeStacks: WeakMap<object, ScopeFrame[]> }>().scopeStacks;

/**
 * Records `scope` on `target` with the target's current value as its prior,
 * then applies `next` (capability-filtered, skipped when equal). If applying
 * throws, the record is removed again.
 */
export function enterScope(scope: object, target: SettingsTarget, next: RuntimeSettings): void {
  const stacks = scopeStacks();
  let stack = stacks.get(target);
  if (stack === undefined) stacks.set(target, (stack = []));
  stack.push({ scope, prior: target.runtimeSettings });
  try {
    applyRuntimeSettings(target, next);
  } catch (error) {
    stack.pop();
    if (stack.length === 0) stacks.delete(target);
    throw error;
  }
}

/** Ends `scope` on `target` by the rule above. Does nothing if it is not open there. */
export function leaveScope(scope: object, target: SettingsTarget): void {
  const stacks = scopeStacks();
  const stack = stacks.get(target);
  if (stack === undefined) return;
  const index = stack.findIndex((frame) => frame.scope === scope);
  if (index < 0) return;
  const frame = stack[index] as ScopeFrame;
  stack.splice(index, 1);
  if (stack.length === 0) stacks.delete(target);
  // After the splice, `index` names the next newer scope, if there is one.
  const newer = stack[index];
  if (newer === undefined) restoreRuntimeSettings(target, frame.prior);
  else newer.prior = frame.prior;
}
