/**
 * What to add to a refused deserialization when the cause is likely one the
 * user can act on: a lean or dispatch runtime (they run version-compatible
 * engines only), an engine with host code while host code is refused, or a
 * plan and a reader from different releases.
 * TensorRT's own message names IRuntime::setEngineHostCodeAllowed, which a
 * user of this runtime reaches through an option, so the hint says which.
 */
import { basename } from "node:path";
import type { TensorRTLibraryInfo } from "../engine/contract.js";

/**
 * TensorRT's words when the reader of a plan and the plan come from different releases:
 * "Version tag does not match. Note: Current Version: 240, Serialized Engine Version: 239".
 */
const SERIALIZATION_MISMATCH = /Current Version: (\d+), Serialized Engine Version: (\d+)/;

/**
 * The hints for a failed deserializeCudaEngine, joined, or undefined when there are none.
 * @param loggerMessages every error TensorRT logged during the call, oldest first (the cause often comes before the verdict)
 */
export function deserializeHints(library: TensorRTLibraryInfo, loggerMessages: readonly string[], hostCodeAllowed: boolean): string | undefined {
  const hints: string[] = [];
  const file = basename(library.path);
  if (library.variant === "lean") hints.push(`${file} is TensorRT's lean runtime, which runs only version-compatible engines`);
  if (library.variant === "dispatch") hints.push(`${file} is TensorRT's dispatch runtime, which runs only version-compatible engines`);
  if (!hostCodeAllowed && loggerMessages.some((m) => /host ?code/i.test(m))) {
    hints.push(
      "the engine carries host code, which is refused unless allowed: allowEngineHostCode: true or TRT_ALLOW_ENGINE_HOST_CODE=1 " +
        "(a security decision: the engine then runs code it brings with it)",
    );
  }
  const mismatch = loggerMessages.map((m) => SERIALIZATION_MISMATCH.exec(m)).find((m) => m !== null);
  if (mismatch) {
    hints.push(
      `the plan was serialized in format ${mismatch[2]} and its reader expects ${mismatch[1]}: they come from different TensorRT releases. ` +
        "Rebuild the plan with this release, or build it version-compatible. A plan with a lean runtime inside (host code allowed) is read by that lean runtime, " +
        "and TensorRT's builder copies in whichever libnvinfer_lean it loads: it must be the builder's own release",
    );
  }
  return hints.length > 0 ? hints.join("; ") : undefined;
}
