/**
 * What to add to a refused deserialization when the cause is likely one the
 * user can act on: a lean or dispatch runtime (they run version-compatible
 * engines only), or an engine with host code while host code is refused.
 * TensorRT's own message names IRuntime::setEngineHostCodeAllowed, which a
 * user of this runtime reaches through an option, so the hint says which.
 */
import { basename } from "node:path";
import type { TensorRTLibraryInfo } from "../engine/contract.js";

/** The hints for a failed deserializeCudaEngine, joined, or undefined when there are none. */
export function deserializeHints(library: TensorRTLibraryInfo, loggerMessage: string | null, hostCodeAllowed: boolean): string | undefined {
  const hints: string[] = [];
  const file = basename(library.path);
  if (library.variant === "lean") hints.push(`${file} is TensorRT's lean runtime, which runs only version-compatible engines`);
  if (library.variant === "dispatch") hints.push(`${file} is TensorRT's dispatch runtime, which runs only version-compatible engines`);
  if (!hostCodeAllowed && loggerMessage !== null && /host ?code/i.test(loggerMessage)) {
    hints.push(
      "the engine carries host code, which is refused unless allowed: allowEngineHostCode: true or TRT_ALLOW_ENGINE_HOST_CODE=1 " +
        "(a security decision: the engine then runs code it brings with it)",
    );
  }
  return hints.length > 0 ? hints.join("; ") : undefined;
}
