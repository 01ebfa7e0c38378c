/**
 * Where TensorRT's own plugin library (libnvinfer_plugin.so.N, the one with
 * EfficientNMS_TRT and the other standard plugins) is looked for: where the
 * loaded libnvinfer came from, so the two are of the same release.
 *
 * - a path the caller names (option `nvinferPluginPath`, else
 *   TRT_NVINFER_PLUGIN_PATH): tried alone;
 * - libnvinfer loaded from a file (a tar archive's lib/, pip's
 *   site-packages/tensorrt_libs/, the emulator's build folder): the same
 *   folder;
 * - libnvinfer loaded by name through the system loader: the plugin
 *   library's name, through the same loader.
 *
 * The lean and dispatch runtimes have no plugin library: engines with
 * TensorRT's standard plugins need the full runtime (plugin libraries of the
 * user's own still load into their registry).
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { abiTables } from "../abi/tables.generated.js";
import type { TensorRTLibraryInfo } from "../engine/contract.js";

/** Environment variable naming TensorRT's plugin library to load (a path or a name for the system loader). */
export const NVINFER_PLUGIN_PATH_ENV = "TRT_NVINFER_PLUGIN_PATH";

/** What the search is given. */
export interface StandardPluginSearch {
  /** A file to load, tried alone; false: do not load TensorRT's plugin library. */
  readonly path?: string | false;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** The candidates to try in order (`explicit`: named by the caller, so failing to load it is an error), or why there are none. */
export type StandardPluginCandidates = { readonly paths: readonly string[]; readonly explicit: boolean } | { readonly none: string };

/** libnvinfer_plugin.so.N for the loaded library's major. */
export function standardPluginFileName(library: TensorRTLibraryInfo): string {
  const table = (abiTables as Record<number, { pluginLibraryFile: string } | undefined>)[library.version.major];
  return table?.pluginLibraryFile ?? `libnvinfer_plugin.so.${library.version.major}`;
}

export function standardPluginCandidates(library: TensorRTLibraryInfo, search: StandardPluginSearch = {}): StandardPluginCandidates {
  if (search.path === false) return { none: "not loaded: the environment's nvinferPluginPath is false" };
  const named = search.path ?? (search.env ?? process.env)[NVINFER_PLUGIN_PATH_ENV];
  if (named) return { paths: [named], explicit: true };
  if (library.variant === "lean" || library.variant === "dispatch") {
    return {
      none:
        `TensorRT's ${library.variant} runtime has no plugin library: engines with TensorRT's standard plugins need the full runtime ` +
        `(libnvinfer.so.${library.version.major}); plugin libraries of your own still load`,
    };
  }
  const file = standardPluginFileName(library);
  if (!library.path.includes("/")) return { paths: [file], explicit: false };
  const beside = join(dirname(library.path), file);
  if (existsSync(beside)) return { paths: [beside], explicit: false };
  return { none: `${file} is not beside ${library.path}` };
}
