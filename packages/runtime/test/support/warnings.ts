/** Collects the TensorRTWarnings of @trt/settings (the runtime's own go through it too) instead of printing them. */
import { setWarningHandler } from "@trt/settings";
import { resetWarnings } from "@trt/settings/advanced";
import type { SettingsWarning } from "@trt/settings";
import { afterEach, beforeEach } from "vitest";

/** Around every test of the calling file: forget which codes warned, collect warnings into the returned list. */
export function collectWarnings(): SettingsWarning[] {
  const warnings: SettingsWarning[] = [];
  beforeEach(() => {
    warnings.length = 0;
    resetWarnings();
    setWarningHandler((w) => void warnings.push(w));
  });
  afterEach(() => {
    setWarningHandler(null);
  });
  return warnings;
}

/** The codes of `warnings`, in order. */
export function codes(warnings: readonly SettingsWarning[]): string[] {
  return warnings.map((w) => w.code);
}
