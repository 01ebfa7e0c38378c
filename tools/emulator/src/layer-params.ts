import { ByteWriter } from "./byte-writer.js";
import type { LayerSpec, PluginLayer } from "./description.js";
import { PlanError } from "./errors.js";
import { LIMITS } from "./format.js";

function checkFloats(path: string, what: string, data: ArrayLike<number>, expected: number): void {
  if (!data || data.length !== expected) {
    throw new PlanError("invalid-layer", path, `${what} must hold ${expected} numbers, got ${data ? data.length : 0}`);
  }
  for (let i = 0; i < data.length; i++) {
    if (typeof data[i] !== "number") throw new PlanError("invalid-layer", path, `${what}[${i}] is not a number`);
  }
}

/** A plugin's name, version or namespace: `min`..256 UTF-8 bytes, no NUL. */
function checkPluginField(path: string, what: string, value: unknown, min: number): string {
  const bytes = typeof value === "string" ? new TextEncoder().encode(value).length : -1;
  if (typeof value !== "string" || bytes < min || bytes > LIMITS.pluginField || value.includes("\0")) {
    throw new PlanError("invalid-layer", path, `plugin ${what} must be a string of ${min}..${LIMITS.pluginField} bytes without NUL`);
  }
  return value;
}

/**
 * The kind-specific parameter bytes of a layer (README, "Layer parameters"):
 * matmul: u32 k, u32 n, u32 hasBias, f32 weights[k*n], f32 bias[n];
 * concat: i32 axis; busywait: u32 microseconds; plugin: str name, str
 * version, str namespace (may be empty); the others: none.
 */
export function layerParams(path: string, layer: LayerSpec): Uint8Array {
  const w = new ByteWriter();
  switch (layer.op) {
    case "matmul": {
      const { k, n } = layer;
      if (!Number.isInteger(k) || !Number.isInteger(n) || k < 1 || n < 1 || k * n > LIMITS.matmulElements) {
        throw new PlanError("invalid-layer", path, `matmul needs integer k, n >= 1 with k*n <= 2^26, got k ${k}, n ${n}`);
      }
      checkFloats(path, "weights", layer.weights, k * n);
      if (layer.bias !== undefined) checkFloats(path, "bias", layer.bias, n);
      w.u32(k);
      w.u32(n);
      w.u32(layer.bias !== undefined ? 1 : 0);
      for (let i = 0; i < k * n; i++) w.f32(layer.weights[i] as number);
      if (layer.bias !== undefined) for (let i = 0; i < n; i++) w.f32(layer.bias[i] as number);
      break;
    }
    case "concat":
      if (!Number.isInteger(layer.axis)) throw new PlanError("invalid-layer", path, `axis must be an integer, got ${layer.axis}`);
      w.i32(layer.axis);
      break;
    case "busywait":
      if (!Number.isInteger(layer.microseconds) || layer.microseconds < 0 || layer.microseconds > LIMITS.busyWaitMicros) {
        throw new PlanError("invalid-layer", path, `microseconds must be an integer in [0, ${LIMITS.busyWaitMicros}]`);
      }
      w.u32(layer.microseconds);
      break;
    case "plugin": {
      const plugin = layer.plugin as PluginLayer["plugin"] | undefined;
      if (typeof plugin !== "object" || plugin === null) throw new PlanError("invalid-layer", path, "a plugin layer needs plugin: { name, version }");
      w.string(checkPluginField(path, "name", plugin.name, 1));
      w.string(checkPluginField(path, "version", plugin.version, 1));
      w.string(checkPluginField(path, "namespace", plugin.namespace ?? "", 0));
      break;
    }
    default:
      break;
  }
  return w.finish();
}
