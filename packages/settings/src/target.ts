/**
 * What the helpers operate on: any object with a `runtimeSettings` getter and
 * setter (TensorRTModule is one), and how settings are applied to it without
 * needless churn.
 * @module
 */
import { capabilitiesOf, honourRuntimeSettings, type RuntimeCapabilities } from "./capabilities.js";
import { describeValue } from "./describe-value.js";
import { SettingsError } from "./errors.js";
import { RuntimeSettings } from "./runtime-settings.js";

/**
 * Anything whose runtime settings the helpers can change: a `runtimeSettings`
 * getter and setter, and optionally the {@link RuntimeCapabilities} of the
 * TensorRT it runs on (absent means standard TensorRT). The setter is where the
 * object reacts to a change (a module re-creates its execution context); the
 * helpers call it only when the value actually changes.
 */
export interface SettingsTarget {
  /** The settings in effect. The helpers read it, and assign it only with a structurally different value. */
  runtimeSettings: RuntimeSettings;
  /** What the loaded TensorRT can honour; absent means standard TensorRT (neither RTX-only feature). */
  readonly runtimeCapabilities?: RuntimeCapabilities | undefined;
}

/** One target, or several (an array or any iterable). */
export type SettingsTargets = SettingsTarget | Iterable<SettingsTarget>;

function hasSettingsAccessor(value: object): boolean {
  for (let o: object | null = value; o !== null; o = Object.getPrototypeOf(o) as object | null) {
    const d = Object.getOwnPropertyDescriptor(o, "runtimeSettings");
    if (d !== undefined) return d.set !== undefined || d.writable === true;
  }
  return false;
}

function checkTarget(value: unknown): SettingsTarget {
  if (typeof value === "object" && value !== null && hasSettingsAccessor(value)) {
    const settings = (value as { runtimeSettings: unknown }).runtimeSettings;
    if (settings instanceof RuntimeSettings) return value as SettingsTarget;
    throw new SettingsError("TRT_INVALID_TARGET", `A settings target's runtimeSettings must be a RuntimeSettings; got ${describeValue(settings)}.`);
  }
  throw new SettingsError(
    "TRT_INVALID_TARGET",
    `Expected a module with a runtimeSettings getter and setter (a TensorRTModule, or an array of them); got ${describeValue(value)}.`,
  );
}

/**
 * Normalises the `targets` argument of the helpers into a validated list with
 * duplicates removed (a module listed twice is changed and restored once).
 * Throws `TRT_INVALID_TARGET` for anything that is not a {@link SettingsTarget}.
 */
export function toTargetList(targets: SettingsTargets): SettingsTarget[] {
  // An object with runtimeSettings is one target even if it is also iterable.
  if (typeof targets === "object" && targets !== null && "runtimeSettings" in targets) return [checkTarget(targets)];
  if (typeof targets !== "object" || targets === null || !(Symbol.iterator in targets)) return [checkTarget(targets)];
  const list: SettingsTarget[] = [];
  for (const target of targets) {
    const checked = checkTarget(target);
    if (!list.includes(checked)) list.push(checked);
  }
  return list;
}

/**
 * Assigns `settings` to `target.runtimeSettings`, minus what the target's
 * TensorRT cannot honour (see {@link honourRuntimeSettings}), and only if the
 * result differs structurally from the current value. Returns whether the
 * setter was called. This is the one place the helpers write settings.
 */
export function applyRuntimeSettings(target: SettingsTarget, settings: RuntimeSettings): boolean {
  const current = target.runtimeSettings;
  const next = honourRuntimeSettings(settings, current, capabilitiesOf(target));
  return assignIfChanged(target, current, next);
}

/**
 * Puts back a value the target held before, without capability filtering (it
 * was the target's own value) and without churn when it is already there.
 */
export function restoreRuntimeSettings(target: SettingsTarget, prior: RuntimeSettings): boolean {
  return assignIfChanged(target, target.runtimeSettings, prior);
}

function assignIfChanged(target: SettingsTarget, current: RuntimeSettings, next: RuntimeSettings): boolean {
  if (next.equals(current)) return false;
  target.runtimeSettings = next;
  return true;
}
