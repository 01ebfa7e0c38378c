/**
 * The settings helpers: `runtimeConfig` for any overrides, and one shorthand
 * per strategy. Each has a callback form and a disposable (`using`) form.
 * @module
 */
import { checkCallback, runInScope } from "./run-in-scope.js";
import type { RuntimeSettingsInit } from "./runtime-settings.js";
import { SettingsScope } from "./settings-scope.js";
import type { CudaGraphStrategy, KernelSpecializationStrategy } from "./strategies.js";
import type { SettingsTargets } from "./target.js";

/**
 * Applies `overrides` to `targets` (one module or a list) for a scope.
 *
 * - `runtimeConfig(targets, overrides)` returns a {@link SettingsScope}; use it
 *   with `using scope = runtimeConfig(...)`, or call `scope.close()`.
 * - `runtimeConfig(targets, overrides, fn)` runs `fn` inside the scope and
 *   returns its result; the previous settings come back when `fn` returns or
 *   throws, or, if it returns a promise, when that promise settles.
 *
 * Each target gets the overrides on top of its own current settings; settings
 * its TensorRT cannot honour are skipped with a once-per-process warning, and a
 * target whose settings would not change is not touched at all.
 */
export function runtimeConfig(targets: SettingsTargets, overrides: RuntimeSettingsInit): SettingsScope;
/** Callback form of {@link runtimeConfig}: runs `fn` with the overrides applied and returns its result. */
export function runtimeConfig<R>(targets: SettingsTargets, overrides: RuntimeSettingsInit, fn: (scope: SettingsScope) => R): R;
export function runtimeConfig<R>(targets: SettingsTargets, overrides: RuntimeSettingsInit, fn?: (scope: SettingsScope) => R): SettingsScope | R {
  if (fn === undefined) return new SettingsScope(targets, overrides);
  checkCallback(fn, "runtimeConfig");
  return runInScope(new SettingsScope(targets, overrides), fn);
}

/**
 * {@link runtimeConfig} for `cudaGraphStrategy` alone:
 * `setCudaGraphStrategy(module, "whole_graph_capture", () => ...)` or
 * `using _ = setCudaGraphStrategy(module, "whole_graph_capture")`.
 */
export function setCudaGraphStrategy(targets: SettingsTargets, strategy: CudaGraphStrategy): SettingsScope;
/** Callback form of {@link setCudaGraphStrategy}: runs `fn` with the strategy applied and returns its result. */
export function setCudaGraphStrategy<R>(targets: SettingsTargets, strategy: CudaGraphStrategy, fn: (scope: SettingsScope) => R): R;
export function setCudaGraphStrategy<R>(targets: SettingsTargets, strategy: CudaGraphStrategy, fn?: (scope: SettingsScope) => R): SettingsScope | R {
  const overrides: RuntimeSettingsInit = { cudaGraphStrategy: strategy };
  if (fn === undefined) return runtimeConfig(targets, overrides);
  checkCallback(fn, "setCudaGraphStrategy");
  return runtimeConfig(targets, overrides, fn);
}

/**
 * {@link runtimeConfig} for `dynamicShapesKernelSpecializationStrategy` alone.
 * Only TensorRT-RTX honours it: on standard TensorRT the call warns once per
 * process and leaves the setting as it was.
 */
export function setDynamicShapesKernelStrategy(targets: SettingsTargets, strategy: KernelSpecializationStrategy): SettingsScope;
/** Callback form of {@link setDynamicShapesKernelStrategy}: runs `fn` with the strategy applied and returns its result. */
export function setDynamicShapesKernelStrategy<R>(
  targets: SettingsTargets,
  strategy: KernelSpecializationStrategy,
  fn: (scope: SettingsScope) => R,
): R;
export function setDynamicShapesKernelStrategy<R>(
  targets: SettingsTargets,
  strategy: KernelSpecializationStrategy,
  fn?: (scope: SettingsScope) => R,
): SettingsScope | R {
  const overrides: RuntimeSettingsInit = { dynamicShapesKernelSpecializationStrategy: strategy };
  if (fn === undefined) return runtimeConfig(targets, overrides);
  checkCallback(fn, "setDynamicShapesKernelStrategy");
  return runtimeConfig(targets, overrides, fn);
}
