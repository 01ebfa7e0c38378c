import { composeMessage, TrtError } from "./trt-error.js";

/** A plugin creator as TensorRT names it: type name, version and namespace ("" by default). */
export interface PluginIdentity {
  readonly name: string;
  readonly version: string;
  readonly namespace: string;
}

export interface PluginErrorDetails {
  readonly code: "PLUGIN_NOT_FOUND" | "PLUGIN_LIBRARY_NOT_FOUND" | "PLUGIN_LIBRARY_INVALID";
  readonly expected: string;
  readonly found: string;
  readonly fix: string;
  /** The plugin library concerned (as given), or null. */
  readonly library?: string | null;
  /** The creator an engine needs, when TensorRT's log named it. */
  readonly plugin?: PluginIdentity | null;
  /** What TensorRT logged as errors meanwhile, oldest first. */
  readonly loggerMessages?: readonly string[];
  readonly cause?: unknown;
}

/**
 * A plugin could not be provided: an engine needs a creator that no loaded
 * library registered (PLUGIN_NOT_FOUND), or a plugin library the user named
 * cannot be opened (PLUGIN_LIBRARY_NOT_FOUND) or gives TensorRT nothing it
 * accepts (PLUGIN_LIBRARY_INVALID).
 */
export class PluginError extends TrtError {
  declare readonly code: PluginErrorDetails["code"];
  readonly library: string | null;
  readonly plugin: PluginIdentity | null;
  readonly loggerMessages: readonly string[];
  readonly expected: string;
  readonly found: string;
  readonly fix: string;

  constructor(details: PluginErrorDetails) {
    const summary =
      details.code === "PLUGIN_NOT_FOUND"
        ? `TensorRT plugin ${details.plugin ? describePlugin(details.plugin) : "creator"} not found`
        : `Plugin library ${details.library ?? ""} ${details.code === "PLUGIN_LIBRARY_NOT_FOUND" ? "cannot be loaded" : "is not usable"}`;
    super(details.code, composeMessage(summary, details), { cause: details.cause });
    this.library = details.library ?? null;
    this.plugin = details.plugin ?? null;
    this.loggerMessages = Object.freeze([...(details.loggerMessages ?? [])]);
    this.expected = details.expected;
    this.found = details.found;
    this.fix = details.fix;
  }
}

/** `EfficientNMS_TRT` version 1 (namespace "ns" only when there is one). */
export function describePlugin(p: PluginIdentity): string {
  return `${p.name} version ${p.version}${p.namespace ? ` in namespace "${p.namespace}"` : ""}`;
}
