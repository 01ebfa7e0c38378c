/**
 * The real networks' twin on the emulator: a models folder laid out as
 * real_models.py writes it (manifest.json in the same shape, NAME.engine,
 * NAME/CASE/in.*.npy, trt.*.npy, torch.*.npy), with the same model names,
 * input and output names and dtypes, optimization profiles, plugin list,
 * weight-streaming budget and one model whose build failed, but networks
 * small enough for the host-mode emulator. The real-model suite and the
 * benchmarks run over it in CI, so every path they take on a GPU is taken
 * without one.
 *
 * "trt" references are the exact results (see twin-math.ts), which the
 * emulator reproduces bit for bit; "torch" references are those plus a small
 * deterministic difference, as PyTorch's fp32 results differ from an fp16
 * engine's, so both comparisons do real work.
 */
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildPlan } from "@trt/emulator";
import type { LayerSpec, PlanDescription, ProfileSpec } from "@trt/emulator";
import { encodeNpy } from "@trt/sdk";
import type { NpyArray } from "@trt/sdk";
import type { Tolerance } from "./manifest.js";
import { evaluatePlan, gridValues, seededIntegers } from "./twin-math.js";
import type { Values } from "./twin-math.js";

interface TwinCase {
  readonly name: string;
  readonly profile: number;
  /** Input name -> shape. */
  readonly shapes: Readonly<Record<string, readonly number[]>>;
}

interface TwinModel {
  readonly plan: PlanDescription;
  readonly cases: readonly TwinCase[];
  readonly plugins?: readonly string[];
  /** Outputs PyTorch is compared on, and references it has that are no engine output (as a detector's pre-NMS boxes). */
  readonly torch: { readonly outputs: readonly string[]; readonly extra?: readonly string[] };
  /** Fraction of the streamable weights kept on the device (weight-streaming models). */
  readonly budgetFraction?: number;
}

export const TWIN_TOLERANCE: { readonly trt: Tolerance; readonly torch: Tolerance } = { trt: { atol: 0, rtol: 0 }, torch: { atol: 1e-3, rtol: 1e-3 } };
/** The failed model of the twin: the suite must fail on it, saying this. */
export const TWIN_FAILED = { name: "broken_twin", reason: "the builder refused the network (a failed build, recorded by the twin on purpose)" } as const;

let seed = 1;
const weights = (k: number, n: number) => Array.from(gridValues(seed++, k * n, 16, 0.5));
const bias = (n: number) => Array.from(gridValues(seed++, n, 16, 0.5));
const fc = (name: string, input: string, output: string, k: number, n: number): LayerSpec => ({ op: "matmul", name, input, output, k, n, weights: weights(k, n), bias: bias(n) });
const range = (min: number[], opt: number[], max: number[]) => ({ min, opt, max });

function models(): TwinModel[] {
  seed = 1;
  const resnet50: TwinModel = {
    plan: {
      name: "resnet50_fp16",
      inputs: [{ name: "x", dtype: "float32", shape: [-1, 48] }],
      layers: [
        { op: "cast", name: "to_half", input: "x", output: "x16", dtype: "float16" },
        { op: "cast", name: "to_float", input: "x16", output: "x32", dtype: "float32" },
        fc("fc", "x32", "y", 48, 10),
      ],
      outputs: ["y"],
      profiles: [{ x: range([1, 48], [32, 48], [64, 48]) }],
    },
    cases: [1, 8, 32].map((b) => ({ name: `b${b}`, profile: 0, shapes: { x: [b, 48] } })),
    torch: { outputs: ["y"] },
  };
  const ids = ["input_ids", "attention_mask", "token_type_ids"];
  const bertProfile = (min: number, opt: number, max: number): ProfileSpec => Object.fromEntries(ids.map((n) => [n, range([min, 4], [opt, 16], [max, 16])]));
  const bert: TwinModel = {
    plan: {
      name: "bert_base",
      inputs: ids.map((name) => ({ name, dtype: "int64" as const, shape: [-1, -1] })),
      layers: [
        ...ids.map((n): LayerSpec => ({ op: "cast", name: `${n}.float`, input: n, output: `${n}_f`, dtype: "float32" })),
        { op: "mul", name: "mask", inputs: ["input_ids_f", "attention_mask_f"], output: "masked" },
        { op: "add", name: "types", inputs: ["masked", "token_type_ids_f"], output: "last_hidden_state" },
        { op: "mul", name: "pool", inputs: ["last_hidden_state", "last_hidden_state"], output: "pooler_output" },
      ],
      outputs: ["last_hidden_state", "pooler_output"],
      profiles: [bertProfile(1, 4, 8), bertProfile(8, 16, 32)],
    },
    cases: [
      { name: "b1_s16", profile: 0, shapes: Object.fromEntries(ids.map((n) => [n, [1, 16]])) },
      { name: "b8_s12", profile: 1, shapes: Object.fromEntries(ids.map((n) => [n, [8, 12]])) },
      { name: "b32_s16", profile: 1, shapes: Object.fromEntries(ids.map((n) => [n, [32, 16]])) },
    ],
    torch: { outputs: ["last_hidden_state", "pooler_output"] },
  };
  const detector: TwinModel = {
    plan: {
      name: "detector_nms",
      inputs: [{ name: "x", dtype: "float32", shape: [-1, 3, 4] }],
      layers: [
        fc("count", "x", "count_f", 4, 1),
        { op: "cast", name: "count.int", input: "count_f", output: "num_detections", dtype: "int32" },
        fc("boxes", "x", "detection_boxes", 4, 4),
        fc("scores", "x", "scores_f", 4, 2),
        { op: "relu", name: "scores.relu", input: "scores_f", output: "detection_scores" },
        fc("classes", "x", "classes_f", 4, 1),
        { op: "cast", name: "classes.int", input: "classes_f", output: "detection_classes", dtype: "int32" },
      ],
      outputs: ["num_detections", "detection_boxes", "detection_scores", "detection_classes"],
      profiles: [{ x: range([1, 3, 4], [4, 3, 4], [16, 3, 4]) }],
    },
    cases: [1, 8].map((b) => ({ name: `b${b}`, profile: 0, shapes: { x: [b, 3, 4] } })),
    plugins: ["EfficientNMS_TRT"],
    torch: { outputs: ["detection_boxes"], extra: ["boxes_before_nms"] },
  };
  const int8: TwinModel = {
    plan: {
      name: "resnet18_int8_qdq",
      inputs: [{ name: "x", dtype: "float32", shape: [-1, 48] }],
      layers: [fc("fc1", "x", "h", 48, 16), { op: "relu", name: "fc1.relu", input: "h", output: "a" }, fc("fc2", "a", "y", 16, 10)],
      outputs: ["y"],
      profiles: [{ x: range([1, 48], [8, 48], [64, 48]) }],
    },
    cases: [1, 8, 64].map((b) => ({ name: `b${b}`, profile: 0, shapes: { x: [b, 48] } })),
    torch: { outputs: ["y"] },
  };
  const streaming: TwinModel = {
    plan: {
      name: "mlp_big_ws",
      inputs: [{ name: "x", dtype: "float32", shape: [-1, 64] }],
      layers: [fc("fc1", "x", "h", 64, 128), { op: "relu", name: "fc1.relu", input: "h", output: "a" }, fc("fc2", "a", "y", 128, 16)],
      outputs: ["y"],
      profiles: [{ x: range([1, 64], [8, 64], [8, 64]) }],
      weightStreaming: true,
    },
    cases: [1, 8].map((b) => ({ name: `b${b}`, profile: 0, shapes: { x: [b, 64] } })),
    torch: { outputs: ["y"] },
    budgetFraction: 0.5,
  };
  return [resnet50, bert, detector, int8, streaming];
}

const NPY_OF: Readonly<Record<string, (v: Float64Array) => NpyArray>> = {
  float32: (v) => ({ dtype: "float32", shape: [], data: Float32Array.from(v) }),
  int32: (v) => ({ dtype: "int32", shape: [], data: Int32Array.from(v) }),
  int64: (v) => ({ dtype: "int64", shape: [], data: BigInt64Array.from(v, (x) => BigInt(x)) }),
};

function toNpy(t: Values): NpyArray {
  const make = NPY_OF[t.dtype];
  if (!make) throw new Error(`the twin writes no ${t.dtype} arrays`);
  return { ...make(t.values), shape: t.shape } as NpyArray;
}

/** PyTorch's stand-in: floats moved by up to 5e-4, integers as they are. */
function torchLike(t: Values): Values {
  if (t.dtype !== "float32") return t;
  return { ...t, values: t.values.map((v, i) => v + (((i * 7919) % 11) - 5) * 1e-4) };
}

function inputValues(name: string, dtype: string, count: number): Float64Array {
  if (dtype !== "int64") return gridValues(seed++, count, 8, 1);
  if (name === "input_ids") return seededIntegers(seed++, count, 30);
  return seededIntegers(seed++, count, 2);
}

/** Writes the twin into `directory` and returns the manifest it wrote. */
export function writeModelsTwin(directory: string): Record<string, unknown> {
  mkdirSync(directory, { recursive: true });
  const write = (file: string, array: NpyArray) => {
    mkdirSync(join(directory, file, ".."), { recursive: true });
    writeFileSync(join(directory, file), encodeNpy(array));
    return file;
  };
  const entries: Record<string, unknown>[] = models().map((model) => {
    const { plan } = model;
    const name = plan.name!;
    const engine = buildPlan(plan);
    writeFileSync(join(directory, `${name}.engine`), engine);
    const cases = model.cases.map((c) => {
      const inputs: Record<string, Values> = {};
      for (const spec of plan.inputs) {
        const shape = c.shapes[spec.name]!;
        inputs[spec.name] = { dtype: spec.dtype, shape, values: inputValues(spec.name, spec.dtype, shape.reduce((a, b) => a * b, 1)) };
      }
      const tensors = evaluatePlan(plan, inputs);
      const at = (kind: string, tensor: string) => `${name}/${c.name}/${kind}.${tensor}.npy`;
      const torch: Record<string, string> = {};
      for (const output of model.torch.outputs) torch[output] = write(at("torch", output), toNpy(torchLike(tensors.get(output)!)));
      for (const extra of model.torch.extra ?? []) torch[extra] = write(at("torch", extra), toNpy({ dtype: "float32", shape: [1], values: Float64Array.of(0) }));
      return {
        name: c.name,
        profile: c.profile,
        bench: true,
        inputs: Object.fromEntries(Object.entries(inputs).map(([n, v]) => [n, { file: write(at("in", n), toNpy(v)), dtype: v.dtype, shape: v.shape }])),
        trt: Object.fromEntries(plan.outputs.map((o) => [o, write(at("trt", o), toNpy(tensors.get(o)!))])),
        torch,
      };
    });
    const streamable = plan.layers.reduce((s, l) => s + (l.op === "matmul" ? 4 * (l.k * l.n + (l.bias?.length ?? 0)) : 0), 0);
    return {
      name,
      status: "ok",
      engine: `${name}.engine`,
      bytes: engine.byteLength,
      sha256: createHash("sha256").update(engine).digest("hex"),
      buildSeconds: 0,
      ...(model.plugins ? { plugins: model.plugins } : {}),
      ...(model.budgetFraction !== undefined ? { weightStreaming: { engineBytes: engine.byteLength, budgetBytes: Math.floor(streamable * model.budgetFraction) } } : {}),
      tolerance: TWIN_TOLERANCE,
      cases,
    };
  });
  entries.push({ name: TWIN_FAILED.name, status: "failed", reason: TWIN_FAILED.reason });
  const manifest = {
    tensorrt: "emulator 10",
    gpu: "none (the TensorRT emulator)",
    driver: null,
    cuda: null,
    torch: null,
    created: new Date(0).toISOString(),
    builderOptimizationLevel: null,
    models: entries,
  };
  writeFileSync(join(directory, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
  return manifest;
}
