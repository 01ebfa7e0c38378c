/**
 * The real networks' manifest (MODELS_DIR/manifest.json, written by
 * real_models.py on the GPU machine): which engines were built, with what,
 * and for each a few cases of seeded inputs with TensorRT Python's outputs
 * and PyTorch's for the same inputs. Read and checked here, once, for the
 * real-model suite and the benchmarks.
 *
 * A manifest that is not an object with a models list is refused with
 * ModelsManifestError. A model entry that is malformed is not: it becomes a
 * failed entry whose reason says what is wrong, so the suite reports it as a
 * failure of that model while the others still run.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** Allowed difference |actual - expected| <= atol + rtol * |expected|. */
export interface Tolerance {
  readonly atol: number;
  readonly rtol: number;
}

/** One array on disk: a .npy file (relative to MODELS_DIR) with the dtype and shape it holds. */
export interface ArrayFile {
  readonly file: string;
  readonly dtype: string;
  readonly shape: readonly number[];
}

export interface ModelCase {
  readonly name: string;
  /** The optimization profile the case runs on. */
  readonly profile: number;
  /** Measured by the benchmarks (batch 1, 8 and 32/64). */
  readonly bench: boolean;
  readonly inputs: Readonly<Record<string, ArrayFile>>;
  /** TensorRT Python's outputs on the same engine and inputs, by output name (.npy paths). */
  readonly trt: Readonly<Record<string, string>>;
  /** PyTorch's outputs, for the outputs it can be compared on. */
  readonly torch: Readonly<Record<string, string>>;
}

export interface BuiltModel {
  readonly name: string;
  readonly status: "ok";
  /** The engine file, relative to MODELS_DIR. */
  readonly engine: string;
  readonly bytes: number;
  readonly sha256: string;
  readonly buildSeconds: number;
  /** Plugin creators the engine's plugin layers need (TensorRT's own, e.g. EfficientNMS_TRT). */
  readonly plugins: readonly string[];
  /** Present for an engine built with weight streaming: run it with budgetBytes kept on the device. */
  readonly weightStreaming: { readonly engineBytes: number; readonly budgetBytes: number } | null;
  readonly tolerance: { readonly trt: Tolerance; readonly torch: Tolerance };
  readonly cases: readonly ModelCase[];
}

export interface FailedModel {
  readonly name: string;
  readonly status: "failed";
  readonly reason: string;
}

export type ModelEntry = BuiltModel | FailedModel;

export interface ModelsManifest {
  readonly tensorrt: string;
  readonly gpu: string;
  readonly driver: string | null;
  readonly cuda: string | null;
  readonly torch: string | null;
  readonly created: string | null;
  readonly builderOptimizationLevel: number | null;
  readonly models: readonly ModelEntry[];
}

/** The manifest itself cannot be read (missing, not JSON, no models list). */
export class ModelsManifestError extends Error {
  override readonly name = "ModelsManifestError";
  readonly code = "MODELS_MANIFEST";
  constructor(
    readonly path: string,
    readonly expected: string,
    readonly found: string,
    readonly fix: string,
  ) {
    super(`${path}: expected ${expected}; found ${found}. ${fix}`);
  }
}

/** What a malformed entry lacks: collected as the entry is read, then turned into its reason. */
class EntryProblem extends Error {}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const describe = (v: unknown): string => (v === undefined ? "nothing" : JSON.stringify(v)?.slice(0, 80) ?? String(v));

function field<T>(object: Json, key: string, where: string, check: (v: unknown) => v is T, what: string): T {
  const value = object[key];
  if (!check(value)) throw new EntryProblem(`${where}.${key} should be ${what}, found ${describe(value)}`);
  return value;
}
const isString = (v: unknown): v is string => typeof v === "string" && v.length > 0;
const isNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v) && v >= 0;
const isInteger = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const isShape = (v: unknown): v is number[] => Array.isArray(v) && v.every(isInteger);
const isFileMap = (v: unknown): v is Record<string, string> => isObject(v) && Object.values(v).every(isString);

function tolerance(object: Json, where: string): Tolerance {
  return { atol: field(object, "atol", where, isNumber, "a number >= 0"), rtol: field(object, "rtol", where, isNumber, "a number >= 0") };
}

function arrayFile(value: unknown, where: string): ArrayFile {
  if (!isObject(value)) throw new EntryProblem(`${where} should be {file, dtype, shape}, found ${describe(value)}`);
  return { file: field(value, "file", where, isString, "a path"), dtype: field(value, "dtype", where, isString, "a dtype name"), shape: field(value, "shape", where, isShape, "a list of dims") };
}

function modelCase(value: unknown, where: string): ModelCase {
  if (!isObject(value)) throw new EntryProblem(`${where} should be an object, found ${describe(value)}`);
  const name = field(value, "name", where, isString, "a name");
  const inputs = field(value, "inputs", where, isObject, "an object of input arrays");
  const trt = field(value, "trt", where, isFileMap, "an object of output name to .npy path");
  if (Object.keys(trt).length === 0) throw new EntryProblem(`${where}.trt names no output: the case has nothing to compare against`);
  const torch = value.torch === undefined ? {} : field(value, "torch", where, isFileMap, "an object of output name to .npy path");
  return {
    name,
    profile: value.profile === undefined ? 0 : field(value, "profile", where, isInteger, "a profile index"),
    bench: value.bench === true,
    inputs: Object.fromEntries(Object.entries(inputs).map(([k, a]) => [k, arrayFile(a, `${where}.inputs.${k}`)])),
    trt,
    torch,
  };
}

function builtModel(value: Json, name: string): BuiltModel {
  const where = name;
  const tol = field(value, "tolerance", where, isObject, "{trt, torch}");
  const ws = value.weightStreaming;
  let weightStreaming: BuiltModel["weightStreaming"] = null;
  if (ws !== undefined && ws !== null) {
    if (!isObject(ws)) throw new EntryProblem(`${where}.weightStreaming should be {engineBytes, budgetBytes}, found ${describe(ws)}`);
    weightStreaming = { engineBytes: field(ws, "engineBytes", `${where}.weightStreaming`, isInteger, "bytes"), budgetBytes: field(ws, "budgetBytes", `${where}.weightStreaming`, isInteger, "bytes") };
  }
  const cases = field(value, "cases", where, Array.isArray, "a list of cases") as unknown[];
  if (cases.length === 0) throw new EntryProblem(`${where}.cases is empty: nothing to run`);
  const plugins = value.plugins === undefined ? [] : field(value, "plugins", where, (v): v is string[] => Array.isArray(v) && v.every(isString), "a list of plugin names");
  return {
    name,
    status: "ok",
    engine: field(value, "engine", where, isString, "the engine's file name"),
    bytes: field(value, "bytes", where, isInteger, "the engine's size"),
    sha256: field(value, "sha256", where, isString, "the engine's sha256"),
    buildSeconds: value.buildSeconds === undefined ? 0 : field(value, "buildSeconds", where, isNumber, "seconds"),
    plugins,
    weightStreaming,
    tolerance: {
      trt: tolerance(field(tol, "trt", `${where}.tolerance`, isObject, "{atol, rtol}"), `${where}.tolerance.trt`),
      torch: tolerance(field(tol, "torch", `${where}.tolerance`, isObject, "{atol, rtol}"), `${where}.tolerance.torch`),
    },
    cases: cases.map((c, i) => modelCase(c, `${where}.cases[${i}]`)),
  };
}

/** One entry of `models`, read; a malformed one comes back failed, with what is wrong as its reason. */
export function readModelEntry(value: unknown, index: number): ModelEntry {
  const name = isObject(value) && isString(value.name) ? value.name : `models[${index}]`;
  if (!isObject(value)) return { name, status: "failed", reason: `the manifest entry is not an object: ${describe(value)}` };
  if (value.status === "failed") {
    const reason = isString(value.reason) ? value.reason : "the builder recorded no reason";
    return { name, status: "failed", reason };
  }
  if (value.status !== "ok") return { name, status: "failed", reason: `status should be "ok" or "failed", found ${describe(value.status)}` };
  try {
    return builtModel(value, name);
  } catch (e) {
    if (e instanceof EntryProblem) return { name, status: "failed", reason: `the manifest entry is malformed: ${e.message}` };
    throw e;
  }
}

/** Parses manifest JSON text (`path` names it in errors). */
export function parseModelsManifest(text: string, path: string): ModelsManifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ModelsManifestError(path, "JSON", `text that does not parse (${(e as Error).message})`, "Rebuild it with real_models.py build MODELS_DIR.");
  }
  if (!isObject(json) || !Array.isArray(json.models)) {
    throw new ModelsManifestError(path, "an object with a models list", describe(json), "Point at the folder real_models.py build wrote (its manifest.json).");
  }
  const text_ = (v: unknown) => (typeof v === "string" ? v : null);
  return {
    tensorrt: text_(json.tensorrt) ?? "unknown",
    gpu: text_(json.gpu) ?? "unknown",
    driver: text_(json.driver),
    cuda: text_(json.cuda),
    torch: text_(json.torch),
    created: text_(json.created),
    builderOptimizationLevel: typeof json.builderOptimizationLevel === "number" ? json.builderOptimizationLevel : null,
    models: json.models.map(readModelEntry),
  };
}

/** Reads MODELS_DIR/manifest.json. */
export function readModelsManifest(directory: string): ModelsManifest {
  const path = join(directory, "manifest.json");
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new ModelsManifestError(path, "the models manifest", (e as NodeJS.ErrnoException).code ?? String(e), "Build the models first: tools/real-tensorrt/run-on-gpu.sh models 10 TRT_DIR MODELS_DIR.");
  }
  return parseModelsManifest(text, path);
}

/** The first dimension of a case's first input: its batch. */
export function batchOf(c: ModelCase): number {
  const first = Object.values(c.inputs)[0];
  return first?.shape[0] ?? 0;
}

/** The case the CLI and server checks use: the smallest batch among those on profile 0 (the profile they pick first). */
export function singleRequestCase(model: BuiltModel): ModelCase {
  const onFirst = model.cases.filter((c) => c.profile === 0);
  const pool = onFirst.length > 0 ? onFirst : model.cases;
  return pool.reduce((a, b) => (batchOf(b) < batchOf(a) ? b : a));
}
