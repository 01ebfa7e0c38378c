/**
 * Which of TensorRT's three runtime libraries a file is, told by its name:
 *
 * - full (`libnvinfer.so.N`): runs every engine built for its version;
 * - lean (`libnvinfer_lean.so.N`): runs version-compatible engines only;
 * - dispatch (`libnvinfer_dispatch.so.N`): runs version-compatible engines
 *   through the lean runtime they carry.
 *
 * All three export the entry points this runtime calls
 * (createInferRuntime_INTERNAL, getInferLibVersion and its major/minor/patch
 * siblings), so any of them loads; only the engines they accept differ. The
 * name is the only cheap signal: the exports do not tell lean from dispatch
 * from the project's emulator.
 */
import { basename } from "node:path";

export type TensorRTVariant = "full" | "lean" | "dispatch";

/** The file-name stem of each variant (before `.so.N`). */
export const VARIANT_STEMS: Readonly<Record<TensorRTVariant, string>> = {
  full: "libnvinfer",
  lean: "libnvinfer_lean",
  dispatch: "libnvinfer_dispatch",
};

/** The variant a library path or soname names; anything not lean or dispatch counts as full. */
export function variantOf(path: string): TensorRTVariant {
  const name = basename(path);
  if (name.startsWith(`${VARIANT_STEMS.lean}.`)) return "lean";
  if (name.startsWith(`${VARIANT_STEMS.dispatch}.`)) return "dispatch";
  return "full";
}

/** How reports name a variant, with what it can run where that is a limit. */
export function describeVariant(variant: TensorRTVariant): string {
  switch (variant) {
    case "full":
      return "full runtime";
    case "lean":
      return "lean runtime (runs version-compatible engines only)";
    case "dispatch":
      return "dispatch runtime (runs version-compatible engines only, through the lean runtime they carry)";
  }
}
