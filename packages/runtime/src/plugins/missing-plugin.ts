/**
 * Telling a deserialization that failed for want of a plugin creator from
 * other failures, by what TensorRT logged, and saying which creator and how
 * to provide it. TensorRT logs the missing creator first, then the verdict:
 *
 *   IPluginRegistry::getPluginCreator: Error Code 4: API Usage Error (Cannot find plugin: EfficientNMS_TRT, version: 1, namespace:.)
 *   IRuntime::deserializeCudaEngine: Error Code 1: Serialization (Serialization assertion creator failed.Cannot deserialize plugin since corresponding IPluginCreator not found in Plugin Registry)
 *
 * (older releases: "getPluginCreator could not find plugin EfficientNMS_TRT version 1").
 */
import type { TensorRTLibraryInfo } from "../engine/contract.js";
import { PluginError, TensorRTCallError } from "../errors/index.js";
import type { PluginIdentity } from "../errors/index.js";
import type { PluginStatus } from "./plugin-loader.js";
import { PLUGIN_PATHS_ENV } from "./plugin-paths.js";

const CANNOT_FIND = /Cannot find plugin:\s*([^,\s]+),\s*version:\s*([^,\s]+)(?:,\s*namespace:\s*([^)]*?)\.?\))?/;
const COULD_NOT_FIND = /could not find plugin:?\s+(\S+)\s+version:?\s+(\S+)/i;
const VERDICT = /IPluginCreator not found in Plugin Registry|Cannot find plugin|could not find plugin/i;

/** The creator TensorRT's messages name, or null when they name none. */
export function pluginNamedIn(messages: readonly string[]): PluginIdentity | null {
  for (const message of messages) {
    const v3 = CANNOT_FIND.exec(message);
    if (v3) return { name: v3[1]!, version: v3[2]!, namespace: (v3[3] ?? "").trim() };
    const v2 = COULD_NOT_FIND.exec(message);
    if (v2) return { name: v2[1]!, version: v2[2]!, namespace: "" };
  }
  return null;
}

function loadedText(status: PluginStatus | null, library: TensorRTLibraryInfo): string {
  if (!status) return "no plugin library was loaded";
  const standard = status.standard.path
    ? `TensorRT's plugin library ${status.standard.path} (${status.standard.creators} creators)`
    : `no TensorRT plugin library (${status.standard.reason ?? "not found"})`;
  const own = status.libraries.map((l) => `${l.path} (${l.creators} creators)`);
  return `loaded: ${[standard, ...own].join(", ")}; TensorRT ${library.version.major}.${library.version.minor}.${library.version.patch}`;
}

/**
 * `error` as PLUGIN_NOT_FOUND when it is a TensorRTCallError whose messages say a
 * plugin creator is missing; null otherwise (the caller rethrows it as is).
 */
export function missingPluginError(error: unknown, status: PluginStatus | null, library: TensorRTLibraryInfo): PluginError | null {
  if (!(error instanceof TensorRTCallError)) return null;
  const messages = error.loggerMessages;
  if (!messages.some((m) => VERDICT.test(m))) return null;
  const plugin = pluginNamedIn(messages);
  const what = plugin ? `the plugin creator ${plugin.name} version ${plugin.version}${plugin.namespace ? ` in namespace "${plugin.namespace}"` : ""}` : "a plugin creator TensorRT did not name";
  const standardHint =
    status && !status.standard.path
      ? ` TensorRT's standard plugins (EfficientNMS_TRT and the like) come from libnvinfer_plugin.so.${library.version.major}, which was not loaded: ${status.standard.reason ?? "not found"}; set nvinferPluginPath or TRT_NVINFER_PLUGIN_PATH to it.`
      : "";
  return new PluginError({
    code: "PLUGIN_NOT_FOUND",
    plugin,
    expected: `${what}, which the engine's plugin layer needs, to be registered`,
    found: `no loaded library registers it (${loadedText(status, library)})`,
    fix:
      `Load the plugin library that provides it before loading the engine: the plugins option ({ plugins: ["/path/libmyplugins.so"] }), ` +
      `${PLUGIN_PATHS_ENV}=/path/libmyplugins.so, or --plugin /path/libmyplugins.so on the command line.` +
      standardHint,
    loggerMessages: messages,
    cause: error,
  });
}
