/**
 * Deserializing a module's engine with one backend: its plugin registry made
 * ready first (TensorRT's plugin library, the environment's and the module's
 * plugin libraries), and a failure for want of a plugin creator turned into
 * PLUGIN_NOT_FOUND, naming the creator and what was loaded.
 */
import type { DeserializeOptions, EngineHandle, TensorRTBackend } from "../engine/contract.js";
import type { TensorRTEnvironment } from "../environment/environment.js";
import { missingPluginError } from "../plugins/missing-plugin.js";
import type { PluginLibraryRequest } from "../plugins/plugin-paths.js";

export async function deserializeWithPlugins(
  environment: TensorRTEnvironment,
  backend: TensorRTBackend,
  plan: Uint8Array,
  options: DeserializeOptions,
  plugins: readonly PluginLibraryRequest[],
): Promise<EngineHandle> {
  const status = environment.preparePlugins(backend, plugins);
  try {
    return await backend.deserialize(plan, options);
  } catch (error) {
    throw missingPluginError(error, status, backend.library) ?? error;
  }
}
