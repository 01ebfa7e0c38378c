/**
 * The real fixture set's twin on the emulator: the same fixture names, I/O
 * names, shapes, dtypes, profiles and features as build_fixtures.py makes
 * with TensorRT, written in the same layout (manifest.json, engine files,
 * .npy inputs and references computed here in float64), so the suite that
 * runs real engines on a GPU also runs in CI, with no GPU, on the emulator.
 * Only the math is simplified where the emulator has no such layer (the
 * dynamic fixture's per-column scale is a diagonal matmul).
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildPlan, seededValues } from "@trt/emulator";
import type { LayerSpec, PlanDescription } from "@trt/emulator";
import { createSerializedEngine, encodeNpy, float32ToHalfBits, halfBitsToFloat32 } from "@trt/sdk";
import type { NpyArray } from "@trt/sdk";
// The archive writers the format package's tests use: a zip of stored entries, and
// engine objects pickled opcode by opcode as torch writes them.
import { base64Slots, enginePickle, enginesPickle } from "../../../../packages/format/test/torch-pickles.js";
import { writeTestZip } from "../../../../packages/format/test/zip-writer.js";
import type { FixtureEntry, FixtureManifest } from "./fixtures.js";

interface TwinFixture {
  readonly name: string;
  readonly description: PlanDescription;
  readonly cases: readonly { label: string; inputs: Record<string, NpyArray>; outputs: Record<string, NpyArray> }[];
  readonly tolerance: { rtol: number; atol: number };
  readonly features: string[];
  readonly lean?: boolean;
}

let seed = 1;
const values = (count: number, scale = 1): Float32Array => seededValues(seed++, count, -scale, scale);
const f32 = (shape: number[], data: Float32Array): NpyArray => ({ dtype: "float32", shape, data });
const f16 = (shape: number[], data: Float32Array): NpyArray => ({ dtype: "float16", shape, data: Uint16Array.from(data, float32ToHalfBits) });
const roundHalf = (data: Float32Array): Float32Array => Float32Array.from(data, (v) => halfBitsToFloat32(float32ToHalfBits(v)));

/** y = relu(x W1 + b1) ... x Wn + bn in float64, as the builder's NumPy reference. */
function mlpReference(x: Float32Array, batch: number, layers: readonly { w: Float32Array; b: Float32Array; k: number; n: number }[]): Float32Array {
  let h = Float64Array.from(x);
  layers.forEach(({ w, b, k, n }, i) => {
    const next = new Float64Array(batch * n);
    for (let r = 0; r < batch; r++) {
      for (let j = 0; j < n; j++) {
        let s = b[j]!;
        for (let q = 0; q < k; q++) s += h[r * k + q]! * w[q * n + j]!;
        next[r * n + j] = i < layers.length - 1 ? Math.max(s, 0) : s;
      }
    }
    h = next;
  });
  return Float32Array.from(h);
}

function mlp(name: string, batch: number, precision: "fp32" | "fp16", sizes: number[], extra: Partial<PlanDescription> = {}, features: string[] = []): TwinFixture {
  const half = precision === "fp16";
  const layers = sizes.slice(0, -1).map((k, i) => {
    const n = sizes[i + 1]!;
    const w = values(k * n, 1 / Math.sqrt(k));
    const b = values(n, 0.1);
    return { w: half ? roundHalf(w) : w, b: half ? roundHalf(b) : b, k, n };
  });
  const x = half ? roundHalf(values(batch * sizes[0]!)) : values(batch * sizes[0]!);
  const specs: LayerSpec[] = [];
  let current = "x";
  if (half) specs.push({ op: "cast", name: "x.to_float", input: "x", output: (current = "x32"), dtype: "float32" });
  layers.forEach(({ w, b, k, n }, i) => {
    const last = i === layers.length - 1;
    const mm = last && !half ? "y" : `fc${i + 1}.out`;
    specs.push({ op: "matmul", name: `fc${i + 1}.matmul`, input: current, k, n, weights: w, bias: b, output: mm });
    current = mm;
    if (!last) specs.push({ op: "relu", name: `fc${i + 1}.relu`, input: current, output: (current = `fc${i + 1}.act`) });
  });
  if (half) specs.push({ op: "cast", name: "y.to_half", input: current, output: "y", dtype: "float16" });
  const y = mlpReference(x, batch, layers);
  return {
    name,
    description: { name, inputs: [{ name: "x", dtype: half ? "float16" : "float32", shape: [batch, sizes[0]!] }], layers: specs, outputs: ["y"], ...extra },
    cases: [{ label: "", inputs: { x: half ? f16([batch, sizes[0]!], x) : f32([batch, sizes[0]!], x) }, outputs: { y: half ? f16([batch, sizes.at(-1)!], y) : f32([batch, sizes.at(-1)!], y) } }],
    tolerance: half ? { rtol: 2e-2, atol: 2e-2 } : { rtol: 5e-3, atol: 5e-3 },
    features,
  };
}

function identity(): TwinFixture {
  const x = values(64);
  return {
    name: "identity",
    description: { name: "identity", inputs: [{ name: "x", dtype: "float32", shape: [4, 16] }], layers: [{ op: "identity", name: "identity", input: "x", output: "y" }], outputs: ["y"] },
    cases: [{ label: "", inputs: { x: f32([4, 16], x) }, outputs: { y: f32([4, 16], x) } }],
    tolerance: { rtol: 0, atol: 0 },
    features: [],
  };
}

function dynamic(): TwinFixture {
  const width = 32;
  const scale = values(width);
  const shift = values(width);
  const diagonal = new Float32Array(width * width);
  for (let i = 0; i < width; i++) diagonal[i * width + i] = scale[i]!;
  const range = (min: number, opt: number, max: number) => ({ x: { min: [min, width], opt: [opt, width], max: [max, width] } });
  const cases = [3, 40].map((batch) => {
    const x = values(batch * width);
    const y = Float32Array.from(x, (v, i) => Math.max(v * scale[i % width]! + shift[i % width]!, 0));
    return { label: String(batch), inputs: { x: f32([batch, width], x) }, outputs: { y: f32([batch, width], y) } };
  });
  return {
    name: "dynamic_two_profiles",
    description: {
      name: "dynamic_two_profiles",
      inputs: [{ name: "x", dtype: "float32", shape: [-1, width] }],
      layers: [
        { op: "matmul", name: "scale", input: "x", k: width, n: width, weights: diagonal, bias: shift, output: "t" },
        { op: "relu", name: "relu", input: "t", output: "y" },
      ],
      outputs: ["y"],
      profiles: [range(1, 4, 8), range(16, 32, 64)],
    },
    cases,
    tolerance: { rtol: 1e-5, atol: 1e-6 },
    features: ["profiles"],
  };
}

function nonzero(): TwinFixture {
  const x = values(24).map((v) => (v < 0.3 ? 0 : v));
  const indices = [...x.keys()].filter((i) => x[i] !== 0);
  return {
    name: "nonzero",
    description: { name: "nonzero", inputs: [{ name: "x", dtype: "float32", shape: [24] }], layers: [{ op: "nonzero", name: "nonzero", input: "x", output: "indices" }], outputs: ["indices"] },
    cases: [{ label: "", inputs: { x: f32([24], x) }, outputs: { indices: { dtype: "int32", shape: [1, indices.length], data: Int32Array.from(indices) } } }],
    tolerance: { rtol: 0, atol: 0 },
    features: ["output_allocator"],
  };
}

/** Writes the twin into `directory` (one major's layout) and returns its manifest. */
export function writeEmulatorTwin(directory: string, major: 10 | 11): FixtureManifest {
  seed = 1;
  mkdirSync(directory, { recursive: true });
  const sizes = [64, 128, 128, 16];
  const fixtures: TwinFixture[] = [
    identity(),
    ...(["fp32", "fp16"] as const).flatMap((p) => [1, 8, 64].map((b) => mlp(`mlp3_b${b}_${p}`, b, p, sizes))),
    dynamic(),
    nonzero(),
    mlp("mlp_weight_streaming", 8, "fp32", [256, 512, 512, 64], { weightStreaming: true }, ["weight_streaming"]),
    mlp("mlp3_b8_detailed", 8, "fp32", sizes, { profilingVerbosity: "detailed" }, ["detailed_profiling"]),
    { ...mlp("mlp3_b8_version_compatible", 8, "fp32", sizes, {}, ["version_compatible"]), lean: true },
    { ...mlp("mlp3_b8_host_code", 8, "fp32", sizes, { requiresHostCode: true }, ["version_compatible", "engine_host_code"]), lean: true },
  ];
  const entries: FixtureEntry[] = fixtures.map((f) => {
    const engine = `${f.name}.engine`;
    writeFileSync(join(directory, engine), buildPlan(f.description));
    const files = (kind: "inputs" | "outputs") => {
      const out: Record<string, string> = {};
      for (const c of f.cases) {
        for (const [name, array] of Object.entries(c[kind])) {
          const key = c.label ? `${name}@${c.label}` : name;
          const file = `${f.name}.${kind === "inputs" ? "in" : "out"}.${key}.npy`;
          writeFileSync(join(directory, file), encodeNpy(array));
          out[key] = file;
        }
      }
      return out;
    };
    return { name: f.name, description: "emulator twin", engine, inputs: files("inputs"), outputs: files("outputs"), tolerance: f.tolerance, features: f.features, lean: f.lean ?? false };
  });
  const manifest: FixtureManifest = { tensorrt: `emulator ${major}`, major, gpu: "none (emulator)", fixtures: entries };
  writeFileSync(join(directory, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
  return manifest;
}

/**
 * Torch-TensorRT archives over the twin's engines, laid out as the real ones in
 * fixtures/torch-tensorrt (Torch-TensorRT 2.11's .ep and .ts): the same file
 * names, the same engine paths and names, each TensorRT plan swapped for its twin.
 */
export function writeTwinArchives(fixtures: string, archives: string): void {
  mkdirSync(archives, { recursive: true });
  const slots = (fixture: string): string[] =>
    base64Slots(
      createSerializedEngine({
        engine: readFileSync(join(fixtures, `${fixture}.engine`)),
        name: `${fixture}_engine`,
        inputBindingNames: ["x"],
        outputBindingNames: ["y"],
      }),
    );
  const text = (s: string): Uint8Array => new TextEncoder().encode(s);
  const programs: Array<[string, string[]]> = [
    ["tt_mlp3_b8", ["mlp3_b8_fp32"]],
    ["tt_two_engines", ["mlp3_b8_fp32", "mlp3_b1_fp32"]],
  ];
  for (const [stem, engines] of programs) {
    const attributes = engines.map((f, i): [string, string[]] => [`_run_on_acc_${i}`, slots(f)]);
    const torchscript = writeTestZip([
      { name: `${stem}/data.pkl`, data: enginesPickle(attributes.map(([a, s]) => [a, s])) },
      { name: `${stem}/code/__torch__/torch/fx/graph_module.py`, data: text("") },
      { name: `${stem}/constants.pkl`, data: Uint8Array.of(0x80, 2, 0x29, 0x2e) },
    ]);
    writeFileSync(join(archives, `${stem}.ts`), torchscript);
    const config = Object.fromEntries(attributes.map(([a], i) => [`${a}.engine`, { path_name: `custom_obj_${i}`, is_param: false, use_pickle: true, tensor_meta: null }]));
    const exported = writeTestZip([
      { name: `${stem}/archive_format`, data: text("pt2") },
      { name: `${stem}/data/constants/model_constants_config.json`, data: text(JSON.stringify({ config })) },
      ...attributes.map(([, s], i) => ({ name: `${stem}/data/constants/custom_obj_${i}`, data: writeTestZip([{ name: "archive/data.pkl", data: enginePickle(s) }]) })),
    ]);
    writeFileSync(join(archives, `${stem}.ep`), exported);
  }
}
