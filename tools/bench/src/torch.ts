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

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), "..", "torch", "bench_torch.py");

export interface TorchCase {
  readonly checksum: number;
  readonly eager: Measurement;
  readonly graph: Measurement;
}

export interface TorchResults {
  /** PyTorch's version, CUDA version and device, or why there are no PyTorch rows. */
  readonly torch: string | null;
  readonly cuda: string | null;
  readonly device: string | null;
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

export function measureTorch(cases: readonly BenchCase[], iterations: number, rounds: number): TorchResults {
  const python = process.env.BENCH_PYTHON ?? "python3";
  const spec = { iterations, warmup: Math.max(20, Math.floor(iterations / 10)), rounds, cases: cases.map(caseSpec) };
  const run = spawnSync(python, [SCRIPT], { input: JSON.stringify(spec), encoding: "utf8", timeout: 600_000, maxBuffer: 64 << 20 });
  const none = (reason: string): TorchResults => ({ torch: null, cuda: null, device: null, unsupported: reason, cases: {} });
  if (run.error) return none(`${python} could not run: ${run.error.message}`);
  if (run.status !== 0) return none(`${python} ${SCRIPT} failed: ${run.stderr.trim().split("\n").slice(-3).join(" | ")}`);
  const out = JSON.parse(run.stdout.trim().split("\n").pop()!) as TorchResults & { unsupported?: string };
  if (out.unsupported) return none(out.unsupported);
  const fix = (m: Measurement): Measurement => (m.unsupported ? unsupported(m.unsupported) : m);
  const fixed: Record<string, TorchCase> = {};
  for (const [id, c] of Object.entries(out.cases)) fixed[id] = { checksum: c.checksum, eager: fix(c.eager), graph: fix(c.graph) };
  return { torch: out.torch, cuda: out.cuda, device: out.device, cases: fixed };
}
