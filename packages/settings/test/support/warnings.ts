// Collects this package's warnings instead of printing them.
import { afterEach, beforeEach } from "vitest";
import { setWarningHandler, type SettingsWarning } from "../../src/index.js";
import { resetWarnings } from "../../src/advanced.js";

/** Installs a collecting handler around every test of the calling file; returns the live list. */
export function collectWarnings(): SettingsWarning[] {
  const warnings: SettingsWarning[] = [];
  beforeEach(() => {
    warnings.length = 0;
    resetWarnings();
    setWarningHandler((w) => warnings.push(w));
  });
  afterEach(() => {
    setWarningHandler(null);
  });
  return warnings;
}

export function codes(warnings: readonly SettingsWarning[]): string[] {
  return warnings.map((w) => w.code);
}
