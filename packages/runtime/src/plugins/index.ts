export { PLUGIN_PATHS_ENV, pluginPathsFromEnv, pluginRequests, loadablePath } from "./plugin-paths.js";
export type { PluginLibraryRequest, PluginLibrarySpec } from "./plugin-paths.js";
export { NVINFER_PLUGIN_PATH_ENV, standardPluginCandidates, standardPluginFileName } from "./standard-library.js";
export type { StandardPluginCandidates, StandardPluginSearch } from "./standard-library.js";
export { ensureStandardPlugins, loadPluginLibraries, pluginStatusOf } from "./plugin-loader.js";
export type { LoadedPluginLibrary, PluginStatus, StandardPluginsStatus } from "./plugin-loader.js";
export { missingPluginError, pluginNamedIn } from "./missing-plugin.js";
