/**
 * The one-call answer to "which engine would run here?", for users and
 * tools: the selection in effect, resolved against an environment.
 */
import { TensorRTEnvironment } from "./environment.js";
import type { RuntimeResolution } from "./environment.js";
import type { RuntimeKind } from "../selection/kind.js";
import { getRuntime } from "../selection/scope.js";

/**
 * The implementation `kind` (default: the selection in effect) resolves to
 * in `environment` (default: the process's), and why. Throws
 * RuntimeUnavailableError when "native" is asked for and cannot load.
 */
export function resolveRuntime(kind: RuntimeKind = getRuntime(), environment: TensorRTEnvironment = TensorRTEnvironment.default()): RuntimeResolution {
  return environment.resolve(kind);
}
