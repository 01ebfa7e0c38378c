import { checkName, checkShape, checkSize } from "./checks.js";
import type { LayerSpec, PlanDescription, ShapeRange } from "./description.js";
import { dtypeByteSize, isArithmeticDType, isDTypeName, type DTypeName } from "./dtype.js";
import { PlanError } from "./errors.js";
import { LAYER_KIND, LIMITS, PROFILING_VERBOSITY, type LayerOp, type ProfilingVerbosityName, type TensorRole } from "./format.js";
import { inferLayerShape, ShapeError, volume, type ShapeMode } from "./infer.js";
import { layerParams } from "./layer-params.js";
import { resolveProfiles, type PlanProfile } from "./profiles.js";

/** A tensor of a resolved plan, with its inferred dtype and declared shape (-1: dynamic / data-dependent). */
export interface PlanTensor {
  readonly name: string;
  readonly role: TensorRole;
  readonly dtype: DTypeName;
  readonly shape: readonly number[];
  readonly dataDependent: boolean;
}

/** A layer of a resolved plan: tensor indices and encoded parameters. */
export interface PlanLayer {
  readonly name: string;
  readonly op: LayerOp;
  readonly inputs: readonly number[];
  readonly output: number;
  readonly params: Uint8Array;
}

/**
 * A validated plan, one step before its bytes: tensor table (inputs, then
 * outputs, then intermediates), profiles, layers, aliases.
 */
export interface ResolvedPlan {
  readonly name: string;
  readonly requiresHostCode: boolean;
  readonly requiredMajor: 0 | 10 | 11;
  readonly profilingVerbosity: ProfilingVerbosityName;
  readonly scratchBytes: number;
  readonly streamableWeightsBytes: number;
  readonly tensors: readonly PlanTensor[];
  readonly profiles: readonly PlanProfile[];
  readonly layers: readonly PlanLayer[];
  /** [output tensor index, input tensor index]. */
  readonly aliases: readonly (readonly [number, number])[];
}

const fmt = (s: readonly number[]): string => `[${s.join(",")}]`;

/** getStreamableWeightsSize(): the explicit byte count, or (weightStreaming) the bytes of every matmul's weights and bias. */
function streamableBytes(desc: PlanDescription): number {
  const flag: unknown = desc.weightStreaming;
  if (flag !== undefined && typeof flag !== "boolean") {
    throw new PlanError("invalid-option", "weightStreaming", `must be a boolean, got ${String(flag)}`);
  }
  if (flag === undefined || !flag) return checkSize("streamableWeightsBytes", desc.streamableWeightsBytes);
  if (desc.streamableWeightsBytes !== undefined) {
    throw new PlanError("invalid-option", "weightStreaming", "give weightStreaming or streamableWeightsBytes, not both");
  }
  let values = 0;
  for (const layer of desc.layers) if (layer.op === "matmul") values += layer.weights.length + (layer.bias?.length ?? 0);
  return checkSize("weightStreaming", values * 4);
}

interface Working {
  name: string;
  dtype: DTypeName;
  shape: number[];
  dataDependent: boolean;
  producer: number; // layer index, -1 for inputs
}

function layerInputs(layer: LayerSpec): readonly string[] {
  return "inputs" in layer ? layer.inputs : [layer.input];
}

function layerType(path: string, layer: LayerSpec, types: readonly DTypeName[]): DTypeName {
  const t0 = types[0] as DTypeName;
  if (layer.op !== "cast" && layer.op !== "nonzero" && types.some((t) => t !== t0)) {
    throw new PlanError("type-mismatch", path, `inputs have different types (${types.join(", ")})`);
  }
  switch (layer.op) {
    case "add":
    case "mul":
    case "relu":
      if (!isArithmeticDType(t0)) throw new PlanError("type-mismatch", path, `${layer.op} does not support ${t0}`);
      return t0;
    case "matmul":
      if (t0 !== "float32") throw new PlanError("type-mismatch", path, `matmul needs float32 input, got ${t0}`);
      return t0;
    case "cast":
      if (!isDTypeName(layer.dtype)) throw new PlanError("invalid-layer", path, `unknown dtype ${String(layer.dtype)}`);
      return layer.dtype;
    case "nonzero":
      if (layer.indicesType !== undefined && layer.indicesType !== "int32" && layer.indicesType !== "int64") {
        throw new PlanError("invalid-layer", path, `nonzero indicesType must be int32 or int64, got ${String(layer.indicesType)}`);
      }
      return layer.indicesType ?? "int32";
    default:
      return t0;
  }
}

function arityOk(layer: LayerSpec, n: number): boolean {
  if (layer.op === "add" || layer.op === "mul") return n === 2;
  if (layer.op === "concat") return n >= 1 && n <= LIMITS.layerInputs;
  return n === 1;
}

function infer(path: string, layer: LayerSpec, shapes: number[][], mode: ShapeMode, code: "shape-mismatch" | "invalid-profile"): number[] {
  try {
    const k = layer.op === "matmul" ? layer.k : undefined;
    const n = layer.op === "matmul" ? layer.n : undefined;
    const axis = layer.op === "concat" ? layer.axis : undefined;
    return inferLayerShape({ op: layer.op, k, n, axis }, shapes, mode);
  } catch (e) {
    if (e instanceof ShapeError) throw new PlanError(code, path, e.message);
    throw e;
  }
}

/**
 * Validates `desc` as the emulator's plan reader would and works out every
 * tensor's dtype and shape. Throws {@link PlanError}.
 */
export function resolvePlan(desc: PlanDescription): ResolvedPlan {
  const engineName = checkName("name", desc.name ?? "emulated_engine");
  const verbosity = desc.profilingVerbosity ?? "layer_names_only";
  if (!(verbosity in PROFILING_VERBOSITY)) {
    throw new PlanError("invalid-option", "profilingVerbosity", `unknown verbosity ${String(verbosity)}`);
  }
  const requiredMajor = desc.requiredMajor ?? 0;
  if (requiredMajor !== 0 && requiredMajor !== 10 && requiredMajor !== 11) {
    throw new PlanError("invalid-option", "requiredMajor", `must be 10 or 11, got ${String(requiredMajor)}`);
  }

  const tensors = new Map<string, Working>();
  if (!desc.inputs?.length) throw new PlanError("invalid-layer", "inputs", "a plan needs at least one input");
  const inputs = desc.inputs.map((spec, i) => {
    const name = checkName(`inputs[${i}].name`, spec.name);
    if (tensors.has(name)) throw new PlanError("duplicate-name", `inputs[${i}]`, `tensor '${name}' is defined twice`);
    if (!isDTypeName(spec.dtype)) throw new PlanError("invalid-shape", `inputs[${i}].dtype`, `unknown dtype ${String(spec.dtype)}`);
    const w: Working = { name, dtype: spec.dtype, shape: checkShape(`inputs[${i}].shape`, spec.shape, true), dataDependent: false, producer: -1 };
    tensors.set(name, w);
    return w;
  });

  if (!desc.outputs?.length) throw new PlanError("invalid-output", "outputs", "a plan needs at least one output");
  const outputNames = new Set<string>();
  desc.outputs.forEach((o, i) => {
    checkName(`outputs[${i}]`, o);
    if (outputNames.has(o)) throw new PlanError("duplicate-name", `outputs[${i}]`, `'${o}' is listed twice`);
    if (tensors.has(o)) throw new PlanError("invalid-output", `outputs[${i}]`, `'${o}' is an input; an output must be produced by a layer`);
    outputNames.add(o);
  });

  if (!desc.layers?.length || desc.layers.length > LIMITS.layers) {
    throw new PlanError("invalid-layer", "layers", `a plan needs 1..${LIMITS.layers} layers`);
  }
  const layerNames = new Set<string>();
  const order: Working[] = [];
  const consumed = new Set<string>();
  desc.layers.forEach((layer, li) => {
    const path = `layers[${li}]`;
    const lname = checkName(`${path}.name`, layer.name);
    const at = `${path} ("${lname}")`;
    if (layerNames.has(lname)) throw new PlanError("duplicate-name", at, `layer name '${lname}' is used twice`);
    layerNames.add(lname);
    if (!(layer.op in LAYER_KIND)) throw new PlanError("invalid-layer", at, `unknown op ${String((layer as { op: unknown }).op)}`);
    const ins = layerInputs(layer);
    if (!arityOk(layer, ins.length)) throw new PlanError("invalid-layer", at, `${layer.op} cannot take ${ins.length} inputs`);
    const sources = ins.map((n) => {
      const t = tensors.get(n);
      if (!t) throw new PlanError("unknown-tensor", at, `reads '${n}', which no input or earlier layer provides`);
      if (t.dataDependent) {
        throw new PlanError("invalid-layer", at, `reads data-dependent '${n}' (NonZero outputs may only be network outputs)`);
      }
      consumed.add(n);
      return t;
    });
    const out = checkName(`${path}.output`, layer.output);
    if (tensors.has(out)) throw new PlanError("duplicate-name", at, `writes '${out}', which already exists`);
    const dtype = layerType(at, layer, sources.map((s) => s.dtype));
    layerParams(at, layer); // validates parameters early
    const shape = infer(at, layer, sources.map((s) => s.shape), "symbolic", "shape-mismatch");
    if (layer.op === "nonzero" && !outputNames.has(out)) {
      throw new PlanError("invalid-layer", at, `nonzero must write a network output ('${out}' is not in outputs)`);
    }
    const w: Working = { name: out, dtype, shape, dataDependent: layer.op === "nonzero", producer: li };
    tensors.set(out, w);
    order.push(w);
  });
  for (const o of desc.outputs) {
    if (!tensors.has(o)) throw new PlanError("invalid-output", "outputs", `output '${o}' is not produced by any layer`);
  }

  // Tensor table: inputs, outputs, then intermediates in production order.
  const table: Working[] = [...inputs, ...desc.outputs.map((o) => tensors.get(o) as Working), ...order.filter((w) => !outputNames.has(w.name))];
  if (table.length > LIMITS.tensors) throw new PlanError("invalid-layer", "layers", `at most ${LIMITS.tensors} tensors`);
  const index = new Map(table.map((w, i) => [w.name, i]));
  const role = (w: Working): TensorRole => (w.producer < 0 ? "input" : outputNames.has(w.name) ? "output" : "intermediate");

  const profiles = resolveProfiles(desc, inputs);
  // Each profile's extremes must themselves run (as the reader checks).
  profiles.forEach((profile, p) => {
    for (const pick of ["min", "max"] as const) {
      const shapes = new Map<string, number[]>(inputs.map((t, o) => [t.name, [...(profile[o] as ShapeRange)[pick]]]));
      desc.layers.forEach((layer, li) => {
        const ins = layerInputs(layer).map((n) => shapes.get(n) as number[]);
        const s = infer(`profiles[${p}] ${pick}, layers[${li}] ("${layer.name}")`, layer, ins, "concrete", "invalid-profile");
        const w = tensors.get(layer.output) as Working;
        if (!w.dataDependent && volume(s) * dtypeByteSize(w.dtype) > LIMITS.tensorBytes) {
          throw new PlanError("invalid-profile", `profiles[${p}]`, `makes '${w.name}' larger than 2^40 bytes`);
        }
        shapes.set(layer.output, s);
      });
      inputs.forEach((t, o) => {
        if (volume((profile[o] as ShapeRange)[pick]) * dtypeByteSize(t.dtype) > LIMITS.tensorBytes) {
          throw new PlanError("invalid-profile", `profiles[${p}].${t.name}`, "allows more than 2^40 bytes");
        }
      });
    }
  });

  const aliases: [number, number][] = [];
  for (const [out, input] of Object.entries(desc.aliases ?? {})) {
    const path = `aliases.${out}`;
    const o = tensors.get(out);
    const s = tensors.get(input);
    if (!o || role(o) !== "output") throw new PlanError("invalid-alias", path, `'${out}' is not a network output`);
    if (!s || role(s) !== "input") throw new PlanError("invalid-alias", path, `'${input}' is not a network input`);
    if (o.dtype !== s.dtype || fmt(o.shape) !== fmt(s.shape)) {
      throw new PlanError("invalid-alias", path, `'${out}' (${o.dtype}${fmt(o.shape)}) and '${input}' (${s.dtype}${fmt(s.shape)}) differ`);
    }
    aliases.push([index.get(out) as number, index.get(input) as number]);
  }

  return {
    name: engineName,
    requiresHostCode: desc.requiresHostCode ?? false,
    requiredMajor,
    profilingVerbosity: verbosity,
    scratchBytes: checkSize("scratchBytes", desc.scratchBytes),
    streamableWeightsBytes: streamableBytes(desc),
    tensors: table.map((w) => ({ name: w.name, role: role(w), dtype: w.dtype, shape: w.shape, dataDependent: w.dataDependent })),
    profiles,
    layers: desc.layers.map((layer, li) => ({
      name: layer.name,
      op: layer.op,
      inputs: layerInputs(layer).map((n) => index.get(n) as number),
      output: index.get(layer.output) as number,
      params: layerParams(`layers[${li}]`, layer),
    })),
    aliases,
  };
}
