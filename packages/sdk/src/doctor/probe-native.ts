/**
 * `trt doctor`'s look at the native engine implementation: whether the
 * optional @trt/native package is installed, and its own probe (addon binary,
 * then libnvinfer and libcudart through the addon's dlopen).
 */
import type * as Native from "@trt/native";

/** What doctor found about @trt/native. */
export interface NativeFinding {
  readonly installed: boolean;
  readonly available: boolean;
  /** The probe's reason code (binary-missing, library-not-found, ...) or "not-installed". */
  readonly reason: string | null;
  readonly detail: string | null;
  /** Every place the probe looked, with what went wrong there. */
  readonly tried: readonly string[];
  readonly addonPath: string | null;
}

/** Imports @trt/native if it is installed and runs probeNative() with the same library paths as the runtime. */
export async function probeNativeEngine(nvinferPath: string | undefined, cudartPath: string | undefined): Promise<NativeFinding> {
  let native: typeof Native;
  try {
    native = await import("@trt/native");
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e);
    return { installed: false, available: false, reason: "not-installed", detail, tried: [], addonPath: null };
  }
  const probe = native.probeNative({ ...(nvinferPath ? { nvinferPath } : {}), ...(cudartPath ? { cudartPath } : {}) });
  if (probe.ok) return { installed: true, available: true, reason: null, detail: null, tried: probe.tried, addonPath: probe.binding.addonPath };
  // The message repeats the tried list and the fix over several lines; the report prints those itself.
  // Its first line also repeats "The native TensorRT engine is unavailable (reason):", which the report says already.
  const detail = probe.error.message.split("\n")[0]!.replace(/^The native TensorRT engine is unavailable \([^)]*\):\s*/, "");
  return { installed: true, available: false, reason: probe.reason, detail, tried: probe.tried, addonPath: null };
}
