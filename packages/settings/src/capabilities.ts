/**
 * What the loaded TensorRT can honour, and the policy for settings it cannot:
 * warn once per process and change nothing.
 * @module
 */
import type { RuntimeSettings } from "./runtime-settings.js";
import { warnOnce } from "./warnings.js";

/**
 * Features of the loaded TensorRT that some settings depend on. The runtime
 * supplies this per module (as `runtimeCapabilities`), from the library it
 * loaded. Both are TensorRT-RTX features: standard TensorRT has neither.
 */
export interface RuntimeCapabilities {
  /** Honours `dynamicShapesKernelSpecializationStrategy`. */
  readonly kernelSpecialization: boolean;
  /** Honours `runtimeCache`. */
  readonly runtimeCache: boolean;
}

/** Standard TensorRT: neither RTX-only feature. Assumed when a target says nothing. */
export const STANDARD_TENSORRT_CAPABILITIES: RuntimeCapabilities = Object.freeze({ kernelSpecialization: false, runtimeCache: false });

/** TensorRT-RTX: both features. */
export const TENSORRT_RTX_CAPABILITIES: RuntimeCapabilities = Object.freeze({ kernelSpecialization: true, runtimeCache: true });

/**
 * The capabilities a target declares, field by field; anything missing or not
 * `true` counts as unsupported, so an unknown target is treated as standard
 * TensorRT.
 */
export function capabilitiesOf(target: { readonly runtimeCapabilities?: RuntimeCapabilities | null | undefined }): RuntimeCapabilities {
  const declared = target.runtimeCapabilities;
  if (declared === undefined || declared === null) return STANDARD_TENSORRT_CAPABILITIES;
  return { kernelSpecialization: declared.kernelSpecialization === true, runtimeCache: declared.runtimeCache === true };
}

/**
 * The part of `desired` that a TensorRT with `capabilities` can honour, on top
 * of `current`: each field the TensorRT cannot honour keeps its current value,
 * and a change to it emits one warning per process
 * (`TRT_UNSUPPORTED_KERNEL_SPECIALIZATION`, `TRT_UNSUPPORTED_RUNTIME_CACHE`).
 * Fields it can honour are taken from `desired`. The runtime calls this in its
 * own setter; the helpers call it through {@link applyRuntimeSettings}.
 */
export function honourRuntimeSettings(desired: RuntimeSettings, current: RuntimeSettings, capabilities: RuntimeCapabilities): RuntimeSettings {
  let honoured = desired;
  if (!capabilities.kernelSpecialization && desired.dynamicShapesKernelSpecializationStrategy !== current.dynamicShapesKernelSpecializationStrategy) {
    warnOnce(
      "TRT_UNSUPPORTED_KERNEL_SPECIALIZATION",
      `dynamicShapesKernelSpecializationStrategy ${JSON.stringify(desired.dynamicShapesKernelSpecializationStrategy)} was not applied: only TensorRT-RTX honours it, and the loaded TensorRT is a standard build. The setting keeps its value ${JSON.stringify(current.dynamicShapesKernelSpecializationStrategy)}. (Shown once per process.)`,
    );
    honoured = honoured.with({ dynamicShapesKernelSpecializationStrategy: current.dynamicShapesKernelSpecializationStrategy });
  }
  if (!capabilities.runtimeCache && desired.runtimeCache !== current.runtimeCache) {
    warnOnce(
      "TRT_UNSUPPORTED_RUNTIME_CACHE",
      "runtimeCache was not applied: only TensorRT-RTX uses a runtime cache, and the loaded TensorRT is a standard build. Nothing will be cached or saved. (Shown once per process.)",
    );
    honoured = honoured.with({ runtimeCache: current.runtimeCache });
  }
  return honoured;
}
