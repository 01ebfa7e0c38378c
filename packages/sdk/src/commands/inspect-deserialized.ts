// What `trt inspect --deserialize` adds: the engine as TensorRT describes it once
// deserialized (I/O tensors with dtype, shape and profiles; layers). Kept apart from
// inspect.ts so that the plain inspect never loads the runtime.
import type { LayerInformation, TensorRTEnvironment } from "@trt/runtime";

/** One I/O tensor as the loaded engine reports it. */
export interface DeserializedTensor {
  name: string;
  mode: "input" | "output";
  dtype: string;
  shape: number[];
  location: string;
  /** Inputs: min/opt/max per optimization profile. */
  profiles: Array<{ min: number[]; opt: number[]; max: number[] }>;
}

/** The `deserialized` part of the inspect report. */
export interface DeserializedReport {
  name: string;
  tensorrt: string;
  device: string;
  profileCount: number;
  tensors: DeserializedTensor[];
  /**
   * Layer names and types, plugin layers marked (`plugin`: what the inspector
   * says of the plugin, or {} when only the type tells); null when the engine
   * was not built with detailed profiling verbosity.
   */
  layers: Array<Pick<LayerInformation, "name" | "type"> & { plugin?: PluginLayerDetails }> | null;
  /** Why `layers` is null: what TensorRT's inspector gave instead. */
  layersUnavailable?: string;
}

/** What the engine inspector says of a plugin layer (the fields it gives; TensorRT's vary by release). */
export interface PluginLayerDetails {
  name?: string;
  version?: string;
  namespace?: string;
}

/**
 * Whether a layer is a plugin layer, and what is known of its plugin:
 * TensorRT's inspector gives plugin layers the type "PluginV2" or "PluginV3"
 * (and, in some releases, a ParameterType saying so).
 */
export function pluginLayer(layer: Pick<LayerInformation, "type" | "details">): PluginLayerDetails | null {
  const isPlugin = /^Plugin/i.test(layer.type ?? "") || /^Plugin/i.test(String(layer.details.ParameterType ?? ""));
  if (!isPlugin) return null;
  const details: PluginLayerDetails = {};
  const field = (key: string): string | undefined => (typeof layer.details[key] === "string" ? (layer.details[key] as string) : undefined);
  const name = field("PluginName") ?? field("PluginType");
  const version = field("PluginVersion");
  const namespace = field("PluginNamespace");
  if (name !== undefined) details.name = name;
  if (version !== undefined) details.version = version;
  if (namespace !== undefined) details.namespace = namespace;
  return details;
}

/** The layers, or why TensorRT cannot list them (only kDETAILED engines describe their layers). */
function layersOf(module: { layerInformation(): LayerInformation[] }): Pick<DeserializedReport, "layers" | "layersUnavailable"> {
  try {
    return {
      layers: module.layerInformation().map((l) => {
        const plugin = pluginLayer(l);
        return { name: l.name, type: l.type, ...(plugin ? { plugin } : {}) };
      }),
    };
  } catch (e) {
    const error = e as { code?: unknown; found?: unknown };
    if (error.code !== "LAYER_INFORMATION_UNAVAILABLE") throw e;
    return { layers: null, layersUnavailable: `${String(error.found)}; the engine was not built with detailed profiling verbosity` };
  }
}

/** Loads the engine (file, chosen engine) and reads what TensorRT says about it. */
export async function describeDeserialized(file: string, options: { environment: TensorRTEnvironment; engine?: string | number | undefined }): Promise<DeserializedReport> {
  const { TensorRTModule } = await import("@trt/runtime");
  const module = await TensorRTModule.load(file, { environment: options.environment, ...(options.engine !== undefined ? { engine: options.engine } : {}) });
  try {
    const tensor = (t: (typeof module.inputs)[number]): DeserializedTensor => ({
      name: t.name,
      mode: t.mode,
      dtype: t.dtype,
      shape: [...t.shape],
      location: t.location,
      profiles: t.profiles.map((p) => ({ min: [...p.min], opt: [...p.opt], max: [...p.max] })),
    });
    const version = options.environment.library.version;
    return {
      name: module.name,
      tensorrt: `${version.major}.${version.minor}.${version.patch}`,
      device: module.device.name,
      profileCount: module.inputs[0]?.profiles.length ?? 1,
      tensors: [...module.inputs.map(tensor), ...module.outputs.map(tensor)],
      ...layersOf(module),
    };
  } finally {
    module.release();
  }
}

const dims = (d: readonly number[]): string => `[${d.join(", ")}]`;

/** " EmuScale version 1 (namespace emu)", or "" when the inspector names no plugin. */
function pluginText(p: PluginLayerDetails): string {
  if (p.name === undefined) return "";
  return ` ${p.name}${p.version !== undefined ? ` version ${p.version}` : ""}${p.namespace ? ` (namespace ${p.namespace})` : ""}`;
}

/** The human-readable section. */
export function formatDeserialized(r: DeserializedReport): string {
  const lines = [`deserialized with TensorRT ${r.tensorrt} on ${r.device}: engine ${JSON.stringify(r.name)}, ${r.profileCount} profile(s)`];
  for (const t of r.tensors) {
    lines.push(`  ${t.mode.padEnd(6)} ${t.name}: ${t.dtype} ${dims(t.shape)} (${t.location})`);
    t.profiles.forEach((p, i) => lines.push(`           profile ${i}: min ${dims(p.min)} opt ${dims(p.opt)} max ${dims(p.max)}`));
  }
  if (r.layers === null) {
    lines.push(`  layers: not listed (${r.layersUnavailable})`);
  } else {
    const plugins = r.layers.filter((l) => l.plugin).length;
    lines.push(`  layers (${r.layers.length}${plugins > 0 ? `, ${plugins} plugin` : ""}):`);
    for (const l of r.layers) lines.push(`    ${l.name}${l.type !== null ? ` [${l.type}]` : ""}${l.plugin ? `  <- plugin${pluginText(l.plugin)}` : ""}`);
  }
  return `${lines.join("\n")}\n`;
}
