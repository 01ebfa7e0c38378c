/**
 * `trt doctor`'s look at plugins, the way an engine would get them: an
 * environment over the libnvinfer the search chose, with the plugin
 * libraries of --plugin (else TRT_PLUGIN_PATHS), asked what its plugin
 * registry holds once TensorRT's plugin library and those are loaded.
 */
import { PluginError, TensorRTEnvironment, withRuntime } from "@trt/runtime";

/** What doctor found about plugins. */
export interface PluginFinding {
  /** TensorRT's plugin library (libnvinfer_plugin.so.N): the file loaded and its creators, or why there is none. */
  readonly standard: { readonly path: string | null; readonly creators: number; readonly reason: string | null };
  /** The plugin libraries named (--plugin or TRT_PLUGIN_PATHS) that loaded. */
  readonly libraries: readonly { readonly path: string; readonly origin: string; readonly creators: number }[];
  /** Creators the registry holds in all. */
  readonly creators: number;
  /** A named library that did not load, with the runtime's error code; null when all did. */
  readonly error: { readonly code: string; readonly library: string | null; readonly message: string } | null;
}

/** Loads plugins as an engine would, on `implementation`; null when the implementation cannot reach its registry. */
export function probePlugins(nvinferPath: string, plugins: readonly string[] | undefined, implementation: "native" | "ffi"): PluginFinding | null {
  const named = plugins && plugins.length > 0 ? { plugins: plugins.map((path) => ({ path, origin: "--plugin" })) } : {};
  const environment = new TensorRTEnvironment({ nvinferPath, ...named });
  try {
    const status = withRuntime(implementation, () => environment.pluginStatus());
    if (!status) return null;
    return {
      standard: { ...status.standard },
      libraries: status.libraries.map((l) => ({ path: l.path, origin: l.origin, creators: l.creators })),
      creators: status.creators,
      error: null,
    };
  } catch (e) {
    if (!(e instanceof PluginError)) throw e;
    // What loaded before the failing library is still worth reporting: the registry, asked without it.
    const partial = withRuntime(implementation, () => new TensorRTEnvironment({ nvinferPath, plugins: [] }).pluginStatus());
    return {
      standard: partial ? { ...partial.standard } : { path: null, creators: 0, reason: "not looked for" },
      libraries: partial ? partial.libraries.map((l) => ({ path: l.path, origin: l.origin, creators: l.creators })) : [],
      creators: partial?.creators ?? 0,
      error: { code: e.code, library: e.library, message: e.message },
    };
  }
}
