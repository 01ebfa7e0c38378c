/**
 * PyTorch rows: torch/bench_torch.py doing each case's math on the same
 * weights and inputs, eager and from CUDA graphs, on the same machine. Python
 * is `python3` on PATH, or BENCH_PYTHON.
 */
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import { FIXTURES } from "@trt/emulator";

import type { BenchCase } from "./cases.js";
import { inputValues } from "./cases.js";
import type { Measurement } from "./measurement.js";
import { unsupported } from "./measurement.js";
import type { PYTHON_ROWS } from "./rows.js";

type PythonRow = (typeof PYTHON_ROWS)[number];

const SCRIPTS = join(dirname(fileURLToPath(import.meta.url)), "..", "torch");
const SCRIPT = join(SCRIPTS, "bench_torch.py");
const REAL_SCRIPT = join(SCRIPTS, "bench_real_engines.py");

export interface TorchCase {
  readonly checksum: number | null;
  /** The Python rows measured for this case (PYTHON_ROWS), each timed or with the reason it did not run. */
  readonly rows: Partial<Record<PythonRow, Measurement>>;
}

export interface TorchResults {
  /** PyTorch's version, CUDA version and device, or why there are no PyTorch rows. */
  readonly torch: string | null;
  readonly cuda: string | null;
  readonly device: string | null;
  /** On real engines: the TensorRT Python bindings' and Torch-TensorRT's versions, where importable. */
  readonly tensorrtPython?: string | null;
  readonly torchTensorRT?: string | null;
  readonly unsupported?: string;
  readonly cases: Readonly<Record<string, TorchCase>>;
}

const KIND: Readonly<Record<string, string>> = { identity_f32: "identity", mlp3: "mlp", nonzero: "nonzero", add_dynamic: "add" };

function caseSpec(c: BenchCase): Record<string, unknown> {
  const description = FIXTURES[c.fixture]!;
  const dtype = (name: string) => description.inputs.find((i) => i.name === name)?.dtype ?? "float32";
  const shapes = c.shapeSets.map((set) => Object.values(set)[0]);
  const values = c.shapeSets.map((set) => Object.entries(set).map(([name, shape]) => Array.from(inputValues(c.fixture, name, shape, dtype(name)))));
  const spec: Record<string, unknown> = { id: c.id, kind: KIND[c.fixture], shapes, inputs: values.map((v) => (v.length === 1 ? v[0] : v)) };
  if (c.fixture === "mlp3") {
    spec.layers = description.layers.flatMap((layer) =>
      layer.op === "matmul" ? [{ k: layer.k, n: layer.n, w: Array.from(layer.weights), b: Array.from(layer.bias ?? []) }] : [],
    );
  }
  return spec;
}

/** The PyTorch rows not measured, with the reason. */
export function skippedTorch(reason: string): TorchResults {
  return { torch: null, cuda: null, device: null, unsupported: reason, cases: {} };
}

function runPython(script: string, spec: unknown): TorchResults {
  const python = process.env.BENCH_PYTHON ?? "python3";
  const run = spawnSync(python, [script], { input: JSON.stringify(spec), encoding: "utf8", timeout: 1_200_000, maxBuffer: 64 << 20 });
  const none = (reason: string): TorchResults => ({ torch: null, cuda: null, device: null, unsupported: reason, cases: {} });
  if (run.error) return none(`${python} could not run: ${run.error.message}`);
  if (run.status !== 0) return none(`${python} ${script} failed: ${run.stderr.trim().split("\n").slice(-3).join(" | ")}`);
  type Raw = Omit<TorchResults, "cases"> & { cases: Record<string, { checksum?: number; rows?: Record<string, Measurement>; eager?: Measurement; graph?: Measurement }> };
  const out = JSON.parse(run.stdout.trim().split("\n").pop()!) as Raw;
  if (out.unsupported) return none(out.unsupported);
  const fix = (m: Measurement): Measurement => (m.unsupported ? unsupported(m.unsupported) : m);
  const fixed: Record<string, TorchCase> = {};
  for (const [id, c] of Object.entries(out.cases)) {
    const rows: Partial<Record<PythonRow, Measurement>> = {};
    // bench_torch.py names its two rows eager/graph; bench_real_engines.py uses the row keys.
    if (c.eager) rows.torch_eager = fix(c.eager);
    if (c.graph) rows.torch_graph = fix(c.graph);
    for (const [key, m] of Object.entries(c.rows ?? {})) rows[key as PythonRow] = fix(m);
    fixed[id] = { checksum: c.checksum ?? null, rows };
  }
  return { torch: out.torch, cuda: out.cuda, device: out.device, tensorrtPython: out.tensorrtPython ?? null, torchTensorRT: out.torchTensorRT ?? null, cases: fixed };
}

export function measureTorch(cases: readonly BenchCase[], iterations: number, rounds: number): TorchResults {
  return runPython(SCRIPT, { iterations, warmup: Math.max(20, Math.floor(iterations / 10)), rounds, cases: cases.map(caseSpec) });
}

/**
 * On real engine files: PyTorch twins of the engines, TensorRT's Python API and
 * Torch-TensorRT's runtimes over the same engine bytes and inputs
 * (torch/bench_real_engines.py; Python needs torch, and tensorrt / torch_tensorrt
 * for their rows, and tools/real-tensorrt on PYTHONPATH for the twins' weights).
 */
export function measureRealEngines(cases: readonly BenchCase[], fixturesDir: string, dtypes: (c: BenchCase) => Record<string, string>, iterations: number, rounds: number): TorchResults {
  const spec = {
    fixturesDir,
    iterations,
    warmup: Math.max(20, Math.floor(iterations / 10)),
    rounds,
    cases: cases.map((c) => {
      const types = dtypes(c);
      const [name] = Object.keys(c.shapeSets[0]!);
      const dtype = types[name!] ?? "float32";
      return {
        id: c.id,
        fixture: c.fixture,
        dtype,
        shapes: c.shapeSets.map((set) => Object.values(set)[0]),
        inputs: c.shapeSets.map((set) => Array.from(inputValues(c.fixture, name!, Object.values(set)[0]!, dtype))),
      };
    }),
  };
  return runPython(REAL_SCRIPT, spec);
}
