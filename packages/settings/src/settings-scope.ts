/**
 * {@link SettingsScope}: settings overrides applied to some targets until the
 * scope ends. The disposable half of every scoped helper.
 * @module
 */
import type { EndableScope } from "./run-in-scope.js";
import { RuntimeSettings, type RuntimeSettingsInit } from "./runtime-settings.js";
import { enterScope, leaveScope } from "./scope-stack.js";
import { disposeSymbol } from "./symbols.js";
import { toTargetList, type SettingsTarget, type SettingsTargets } from "./target.js";

function throwCollected(errors: unknown[]): void {
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors, "Restoring runtime settings failed on several targets.");
}

/**
 * Overrides applied to a set of targets, restored when the scope ends. Opening
 * the scope (constructing it) applies `overrides` on top of each target's own
 * current settings; {@link SettingsScope.close} (or leaving a `using` block)
 * puts each target's previous value back. See the package README for how
 * nested and out-of-order scopes restore.
 *
 * ```ts
 * {
 *   using _ = runtimeConfig(module, { cudaGraphStrategy: "whole_graph_capture" });
 *   await module.run(inputs);
 * } // restored here, also if run() threw
 * ```
 */
export class SettingsScope implements Disposable, EndableScope {
  /** The targets this scope changed, without duplicates, in the order given. */
  readonly targets: readonly SettingsTarget[];
  /** The overrides this scope applies, validated. */
  readonly overrides: Readonly<RuntimeSettingsInit>;
  #open = true;

  /**
   * Validates `overrides` and the targets, then applies the overrides to each
   * target. If applying fails on one target, those already changed are
   * restored before the error is rethrown. Prefer `runtimeConfig()`, which
   * builds this.
   */
  constructor(targets: SettingsTargets, overrides: RuntimeSettingsInit) {
    // Validate everything before touching any target.
    RuntimeSettings.DEFAULT.with(overrides);
    const list = toTargetList(targets);
    this.targets = Object.freeze(list);
    this.overrides = Object.freeze({ ...overrides });
    const entered: SettingsTarget[] = [];
    try {
      for (const target of list) {
        enterScope(this, target, target.runtimeSettings.with(overrides));
        entered.push(target);
      }
    } catch (error) {
      for (const target of entered.reverse()) leaveScope(this, target);
      throw error;
    }
  }

  /** True until the scope ends. */
  get active(): boolean {
    return this.#open;
  }

  /**
   * Ends the scope: restores every target (in reverse order). Calling it again
   * does nothing. If a target's setter throws, the others are still restored
   * and the error (or an AggregateError of several) is thrown afterwards.
   */
  close(): void {
    if (!this.#open) return;
    this.#open = false;
    const errors: unknown[] = [];
    for (const target of [...this.targets].reverse()) {
      try {
        leaveScope(this, target);
      } catch (error) {
        errors.push(error);
      }
    }
    throwCollected(errors);
  }

  /**
   * {@link SettingsScope.close} as a promise. Restoring settings is
   * synchronous; subclasses with asynchronous cleanup (the runtime-cache scope)
   * override this, and the callback form of the helpers awaits it.
   */
  closeAsync(): Promise<void> {
    try {
      this.close();
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Same as {@link SettingsScope.close}; lets `using` end the scope. */
  [disposeSymbol](): void {
    this.close();
  }
}
