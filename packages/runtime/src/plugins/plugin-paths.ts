/**
 * The plugin libraries a user names, and where each name came from (for
 * messages): the `plugins` option of an environment or a module, the
 * TRT_PLUGIN_PATHS environment variable (colon-separated, like PATH), or a
 * `--plugin` flag of the CLI.
 */
import { isAbsolute, resolve } from "node:path";

/** Environment variable listing plugin libraries to load, separated by colons. */
export const PLUGIN_PATHS_ENV = "TRT_PLUGIN_PATHS";

/** One plugin library to load. */
export interface PluginLibraryRequest {
  /** As given. */
  readonly path: string;
  /** What named it: "plugins option", "$TRT_PLUGIN_PATHS", "--plugin", ... */
  readonly origin: string;
}

/** The libraries TRT_PLUGIN_PATHS names (empty entries skipped). */
export function pluginPathsFromEnv(env: Readonly<Record<string, string | undefined>>): PluginLibraryRequest[] {
  const value = env[PLUGIN_PATHS_ENV];
  if (!value) return [];
  return value
    .split(":")
    .map((p) => p.trim())
    .filter((p) => p !== "")
    .map((path) => ({ path, origin: `$${PLUGIN_PATHS_ENV}` }));
}

/** A `plugins` option entry: a path, or a path with what named it (a CLI flag, say). */
export type PluginLibrarySpec = string | PluginLibraryRequest;

const nonEmpty = (v: unknown): v is string => typeof v === "string" && v.trim() !== "";

/** Checks a `plugins` option: an array of non-empty paths (or {path, origin}). TypeError otherwise. */
export function pluginRequests(value: unknown, origin: string): PluginLibraryRequest[] {
  if (value === undefined) return [];
  const valid = (v: unknown): boolean => nonEmpty(v) || (typeof v === "object" && v !== null && nonEmpty((v as PluginLibraryRequest).path) && nonEmpty((v as PluginLibraryRequest).origin));
  if (!Array.isArray(value) || !value.every(valid)) {
    throw new TypeError(`${origin}: expected an array of plugin library paths (non-empty strings), got ${JSON.stringify(value)}`);
  }
  return (value as PluginLibrarySpec[]).map((p) => (typeof p === "string" ? { path: p, origin } : { path: p.path, origin: p.origin }));
}

/**
 * What dlopen is given: a path with a slash, made absolute (so a later
 * chdir cannot change which file it is); a bare name is left for the
 * system loader to find, as dlopen would.
 */
export function loadablePath(path: string): string {
  return path.includes("/") && !isAbsolute(path) ? resolve(path) : path;
}
