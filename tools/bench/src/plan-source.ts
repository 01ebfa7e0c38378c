/**
 * Where a case's engine comes from: the emulator's fixture plans (built
 * here, written to a temporary folder for the floor program), or real
 * TensorRT engine files from a fixture folder made by
 * tools/real-tensorrt/build_fixtures.py (`--engines DIR` / BENCH_ENGINES),
 * read as they are. Both give the plan bytes, a file the floor program can
 * open, and the input data types.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import { buildPlan, FIXTURES } from "@trt/emulator";

import type { BenchCase } from "./cases.js";

export interface PlanSource {
  /** "emulator fixtures" or "real engines in DIR (TensorRT x.y.z, GPU)". */
  readonly description: string;
  /** Real engines: their PyTorch twins are not part of the suite, so the PyTorch rows say this. */
  readonly torchUnsupported: string | null;
  plan(c: BenchCase): { readonly bytes: Uint8Array; readonly path: string };
  dtypes(c: BenchCase): Readonly<Record<string, string>>;
}

export function emulatorPlans(directory: string): PlanSource {
  return {
    description: "emulator fixtures",
    torchUnsupported: null,
    plan(c) {
      const bytes = buildPlan(FIXTURES[c.fixture]!);
      const path = join(directory, `${c.fixture}.plan`);
      writeFileSync(path, bytes);
      return { bytes, path };
    },
    dtypes(c) {
      return Object.fromEntries(FIXTURES[c.fixture]!.inputs.map((i) => [i.name, i.dtype]));
    },
  };
}

interface RealManifest {
  readonly tensorrt: string;
  readonly gpu?: string;
  readonly fixtures: readonly {
    readonly name: string;
    readonly engine?: string;
    readonly error?: string;
    readonly io?: readonly { readonly name: string; readonly mode: string; readonly dtype: string }[];
  }[];
}

/** TensorRT's data type names as the builder's manifest spells them, to this suite's. */
const DTYPE: Readonly<Record<string, string>> = { float: "float32", half: "float16", int32: "int32", int64: "int64", bool: "bool", int8: "int8", uint8: "uint8" };

export function realEngines(directory: string): PlanSource {
  const manifest = JSON.parse(readFileSync(join(directory, "manifest.json"), "utf8")) as RealManifest;
  const entry = (c: BenchCase) => {
    const found = manifest.fixtures.find((f) => f.name === c.fixture);
    if (!found?.engine) throw new Error(`${directory} has no engine ${c.fixture}${found?.error ? ` (${found.error})` : ""}`);
    return found;
  };
  return {
    description: `real engines in ${directory} (TensorRT ${manifest.tensorrt}, built on ${manifest.gpu ?? "an unnamed GPU"})`,
    torchUnsupported: null,
    plan(c) {
      const path = join(directory, entry(c).engine!);
      return { bytes: readFileSync(path), path };
    },
    dtypes(c) {
      return Object.fromEntries((entry(c).io ?? []).filter((t) => t.mode === "input").map((t) => [t.name, DTYPE[t.dtype] ?? t.dtype]));
    },
  };
}
