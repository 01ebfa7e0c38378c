/**
 * Loading plugins, the same way for both engine implementations (each gives a
 * PluginHost). TensorRT has two registries (seen on TensorRT 10.6): the
 * process's global one, where initLibNvInferPlugins registers TensorRT's
 * standard plugins, and one per runtime, where loadLibrary registers a user's
 * library; deserialization finds creators in both. So TensorRT's plugin
 * library is remembered per global registry (one per loaded libnvinfer,
 * shared by every runtime of it, native and ffi included) and a user's
 * library per runtime registry, each for the whole process: TensorRT refuses
 * a library whose creators are registered already, and a library stays
 * loaded until the process ends. Registries are known by address: backends,
 * and so their runtimes and registries, live as long as the process.
 */
import { realpathSync } from "node:fs";
import type { PluginHost, TensorRTLibraryInfo } from "../engine/contract.js";
import { PluginError } from "../errors/index.js";
import { loadablePath } from "./plugin-paths.js";
import type { PluginLibraryRequest } from "./plugin-paths.js";
import { standardPluginCandidates, standardPluginFileName } from "./standard-library.js";
import type { StandardPluginSearch } from "./standard-library.js";

/** TensorRT's own plugin library, whose creators go to the global registry. */
export interface StandardPluginsStatus {
  /** The file loaded, or null when none was. */
  readonly path: string | null;
  /** Creators it registered (counted in the global registry, where initLibNvInferPlugins puts them). */
  readonly creators: number;
  /**
   * Why none is loaded; when one is, null, or why its creators could not be
   * counted (a libnvinfer without getPluginRegistry: then `creators` counts
   * the runtime's registry alone, which TensorRT 10.6's library leaves empty).
   */
  readonly reason: string | null;
}

/** A user's plugin library, loaded. */
export interface LoadedPluginLibrary {
  /** As given. */
  readonly path: string;
  /** What dlopen was given. */
  readonly loadedFrom: string;
  /** What named it (option, environment variable, flag). */
  readonly origin: string;
  /** Creators it registered. */
  readonly creators: number;
}

/** What a runtime's deserialization can find: its own registry and the global one. */
export interface PluginStatus {
  readonly standard: StandardPluginsStatus;
  /** The user's libraries loaded into the runtime's registry. */
  readonly libraries: readonly LoadedPluginLibrary[];
  /** Every creator the two registries list now (the runtime's alone where the global one cannot be reached). */
  readonly creators: number;
}

/** TensorRT's plugin library, by global registry (by the runtime's where the global one cannot be reached). */
const standardByRegistry = new Map<number, StandardPluginsStatus>();
/** The user's libraries, by runtime registry, each by file identity. */
const librariesByRegistry = new Map<number, Map<string, LoadedPluginLibrary>>();

function standardKey(host: PluginHost): number {
  return host.globalRegistry ?? host.registry;
}

function librariesOf(host: PluginHost): Map<string, LoadedPluginLibrary> {
  let libraries = librariesByRegistry.get(host.registry);
  if (!libraries) librariesByRegistry.set(host.registry, (libraries = new Map()));
  return libraries;
}

/** The status of a plugin library that loaded; its count is only right where the global registry is reached. */
function loadedStatus(host: PluginHost, library: TensorRTLibraryInfo, path: string, creators: number): StandardPluginsStatus {
  if (host.globalRegistry !== null) return { path, creators, reason: null };
  return {
    path,
    creators,
    reason: `loaded, but its creators cannot be counted: initLibNvInferPlugins registers them in TensorRT's global registry, and ${library.path} exports no getPluginRegistry to reach it (counts cover the runtime's own registry only)`,
  };
}

function loggedText(logged: readonly string[]): string {
  return logged.length > 0 ? `TensorRT reported: ${logged.join(" | ")}` : "TensorRT's logger said nothing more";
}

/**
 * Loads TensorRT's plugin library, once per global registry (its
 * initLibNvInferPlugins registers there, for every runtime of the library;
 * a second call would register nothing and count 0). Not finding
 * it is not an error (most engines need no plugin; the status says why, and
 * an engine that needs one fails with PLUGIN_NOT_FOUND naming it); a library
 * the caller named explicitly that does not load is: PluginError.
 */
export function ensureStandardPlugins(host: PluginHost, library: TensorRTLibraryInfo, search: StandardPluginSearch): StandardPluginsStatus {
  const key = standardKey(host);
  const known = standardByRegistry.get(key);
  if (known) return known;
  const remember = (status: StandardPluginsStatus): StandardPluginsStatus => {
    standardByRegistry.set(key, status);
    return status;
  };
  // Not loading it is this environment's choice, not the registry's state: another may load it later.
  if (search.path === false) return { path: null, creators: 0, reason: "not loaded: the environment's nvinferPluginPath is false" };
  const candidates = standardPluginCandidates(library, search);
  if ("none" in candidates) return remember({ path: null, creators: 0, reason: candidates.none });
  const failures: string[] = [];
  for (const path of candidates.paths) {
    const before = host.creatorCount();
    const outcome = host.initStandardPlugins(path);
    if (outcome.openError === null && outcome.ok) return remember(loadedStatus(host, library, path, host.creatorCount() - before));
    failures.push(outcome.openError !== null ? `${path} does not open (${outcome.openError})` : `initLibNvInferPlugins of ${path} failed (${loggedText(outcome.logged)})`);
    if (candidates.explicit) {
      throw new PluginError({
        code: outcome.openError !== null ? "PLUGIN_LIBRARY_NOT_FOUND" : "PLUGIN_LIBRARY_INVALID",
        library: path,
        expected: `TensorRT's plugin library (${standardPluginFileName(library)}) at the path given`,
        found: failures[failures.length - 1]!,
        fix: "Point nvinferPluginPath (or TRT_NVINFER_PLUGIN_PATH) at the libnvinfer_plugin of the same TensorRT release as libnvinfer, or leave it unset to use the one beside libnvinfer.",
        loggerMessages: outcome.logged,
      });
    }
  }
  return remember({ path: null, creators: 0, reason: failures.join("; ") });
}

/** The file identity of a path, so one library named two ways is loaded once. */
function identity(loadable: string): string {
  try {
    return realpathSync(loadable);
  } catch {
    return loadable;
  }
}

/**
 * Loads each library into `host`'s registry (IPluginRegistry::loadLibrary)
 * unless it is there already, in order. Throws PluginError at the first that
 * cannot be opened (PLUGIN_LIBRARY_NOT_FOUND) or that TensorRT refuses or
 * that registers nothing (PLUGIN_LIBRARY_INVALID); those before it stay loaded.
 */
export function loadPluginLibraries(host: PluginHost, requests: readonly PluginLibraryRequest[]): LoadedPluginLibrary[] {
  const libraries = librariesOf(host);
  const loaded: LoadedPluginLibrary[] = [];
  for (const request of requests) {
    const loadable = loadablePath(request.path);
    const key = identity(loadable);
    const known = libraries.get(key);
    if (known) {
      loaded.push(known);
      continue;
    }
    const before = host.creatorCount();
    const outcome = host.loadLibrary(loadable);
    const named = `${request.path} (from ${request.origin})`;
    if (outcome.openError !== null) {
      throw new PluginError({
        code: "PLUGIN_LIBRARY_NOT_FOUND",
        library: request.path,
        expected: `a plugin library that opens at ${named}`,
        found: outcome.openError,
        fix: "Check the path (a file, or a name the system loader finds on LD_LIBRARY_PATH) and that the libraries it depends on are installed.",
      });
    }
    if (!outcome.ok) {
      throw new PluginError({
        code: "PLUGIN_LIBRARY_INVALID",
        library: request.path,
        expected: `TensorRT to accept ${named} as a plugin library (exports getCreators or getPluginCreators, creators not registered yet)`,
        found: `IPluginRegistry::loadLibrary refused it; ${loggedText(outcome.logged)}`,
        fix: "Build the library with TensorRT's plugin entry points (getCreators and setLoggerFinder), and load each plugin library once: two libraries may not register the same plugin name, version and namespace.",
        loggerMessages: outcome.logged,
      });
    }
    const creators = host.creatorCount() - before;
    if (creators <= 0) {
      throw new PluginError({
        code: "PLUGIN_LIBRARY_INVALID",
        library: request.path,
        expected: `${named} to register at least one plugin creator`,
        found: "it loaded but registered no plugin creator (the registry holds as many creators as before)",
        fix: "Point at the library that holds your plugins' creators; a library built without them registers nothing.",
        loggerMessages: outcome.logged,
      });
    }
    const entry: LoadedPluginLibrary = { path: request.path, loadedFrom: loadable, origin: request.origin, creators };
    libraries.set(key, entry);
    loaded.push(entry);
  }
  return loaded;
}

/** What `host`'s runtime can find, as far as this process loaded it. */
export function pluginStatusOf(host: PluginHost): PluginStatus {
  return {
    standard: standardByRegistry.get(standardKey(host)) ?? { path: null, creators: 0, reason: "not looked for yet" },
    libraries: [...librariesOf(host).values()],
    creators: host.creatorCount(),
  };
}
