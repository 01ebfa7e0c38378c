/**
 * Saves that nobody asked for explicitly (scope end, owner release, process
 * exit). They write only a dirty cache (after the cache's collectors had their
 * chance to dirty it), and a failure becomes a warning: the program's real work
 * must not fail because a cache could not be persisted.
 * @module
 */
import type { RuntimeCache } from "./runtime-cache.js";
import { emitSettingsWarning, emitSettingsWarningSync } from "./warnings.js";

function report(cache: RuntimeCache, when: string, error: unknown, emit = emitSettingsWarning): void {
  const reason = error instanceof Error ? error.message : String(error);
  emit("TRT_RUNTIME_CACHE_SAVE_FAILED", `Saving the runtime cache ${cache.path} ${when} failed: ${reason}`);
}

/**
 * Saves `cache` now if it is dirty; `when` completes the warning's sentence
 * ("at the end of its scope"). `atExit` reports a failure synchronously, for the
 * process 'exit' handler.
 */
export function autosaveSync(cache: RuntimeCache, when: string, atExit = false): void {
  try {
    cache.saveSync({ onlyIfDirty: true });
  } catch (error) {
    report(cache, when, error, atExit ? emitSettingsWarningSync : emitSettingsWarning);
  }
}

/** Asynchronous {@link autosaveSync}. Never rejects. */
export async function autosave(cache: RuntimeCache, when: string): Promise<void> {
  try {
    await cache.save({ onlyIfDirty: true });
  } catch (error) {
    report(cache, when, error);
  }
}
