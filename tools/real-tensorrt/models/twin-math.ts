/**
 * The emulator twin's arithmetic, done here in float64 to write its
 * references: the layers the twin uses (cast, matmul, relu, add, mul),
 * evaluated over a plan description. Inputs and weights sit on coarse binary
 * grids (eighths, sixteenths) small enough that every product and partial
 * sum is exact in float32 and float16 casts of the inputs are exact too, so
 * the emulator's result does not depend on summation order or fused
 * multiply-add and equals this one bit for bit, as TensorRT Python's output
 * equals ours on a real engine.
 */
import { seededValues } from "@trt/emulator";
import type { LayerSpec, PlanDescription } from "@trt/emulator";

export interface Values {
  readonly dtype: string;
  readonly shape: readonly number[];
  readonly values: Float64Array;
}

/** `count` seeded values on a grid of 1/steps within [-limit, limit]. */
export function gridValues(seed: number, count: number, steps: number, limit: number): Float64Array {
  return Float64Array.from(seededValues(seed, count, -limit, limit), (v) => Math.round(v * steps) / steps);
}

/** Seeded integers in [0, high). */
export function seededIntegers(seed: number, count: number, high: number): Float64Array {
  return Float64Array.from(seededValues(seed, count, 0, high), (v) => Math.min(high - 1, Math.floor(v)));
}

function cast(x: Values, dtype: string): Values {
  const integer = dtype === "int32" || dtype === "int64" || dtype === "int8";
  return { dtype, shape: x.shape, values: integer ? x.values.map(Math.trunc) : x.values.slice() };
}

function matmul(x: Values, layer: Extract<LayerSpec, { op: "matmul" }>): Values {
  const { k, n } = layer;
  const rows = x.values.length / k;
  const out = new Float64Array(rows * n);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let q = 0; q < k; q++) s += x.values[r * k + q]! * layer.weights[q * n + j]!;
      out[r * n + j] = s + (layer.bias?.[j] ?? 0);
    }
  }
  return { dtype: "float32", shape: [...x.shape.slice(0, -1), n], values: out };
}

/** Every tensor of `plan` for the given inputs (the layers the twin uses; others are refused). */
export function evaluatePlan(plan: PlanDescription, inputs: Readonly<Record<string, Values>>): Map<string, Values> {
  const tensors = new Map(Object.entries(inputs));
  const get = (name: string) => {
    const t = tensors.get(name);
    if (!t) throw new Error(`twin plan ${plan.name}: tensor ${name} is not computed before it is used`);
    return t;
  };
  for (const layer of plan.layers) {
    switch (layer.op) {
      case "cast":
        tensors.set(layer.output, cast(get(layer.input), layer.dtype));
        break;
      case "matmul":
        tensors.set(layer.output, matmul(get(layer.input), layer));
        break;
      case "relu": {
        const x = get(layer.input);
        tensors.set(layer.output, { ...x, values: x.values.map((v) => Math.max(v, 0)) });
        break;
      }
      case "add":
      case "mul": {
        const [a, b] = layer.inputs.map(get) as [Values, Values];
        const f = layer.op === "add" ? (u: number, v: number) => u + v : (u: number, v: number) => u * v;
        tensors.set(layer.output, { ...a, values: a.values.map((v, i) => f(v, b.values[i]!)) });
        break;
      }
      default:
        throw new Error(`twin plan ${plan.name}: layer ${layer.name} (${layer.op}) has no twin arithmetic`);
    }
  }
  return tensors;
}
