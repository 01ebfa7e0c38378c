/**
 * Rows for this project's runtime: TensorRTModule.runSync() on one engine
 * implementation, plain or with the runtime's CUDA-graph capture/replay,
 * inputs already on the device (as a server keeps them between stages),
 * outputs owned by the caller and disposed after each call (or, for the
 * "reused outputs" rows, left in the module's buffers until the next call).
 */
import type { EngineImplementation, RunInputs, TensorRTEnvironment } from "@trt/runtime";
import { setRuntime, Tensor, TensorRTModule } from "@trt/runtime";

import type { BenchCase } from "./cases.js";
import { inputValues } from "./cases.js";
import type { Measurement } from "./measurement.js";
import { unsupported } from "./measurement.js";
import { summarize } from "./stats.js";

/** A module made for one row, with device inputs per shape set. */
export interface ModuleRig {
  readonly module: TensorRTModule;
  readonly inputs: readonly RunInputs[];
  release(): void;
}

/** Loads `plan` on `implementation` and uploads the case's inputs. */
export async function makeRig(
  environment: TensorRTEnvironment,
  plan: Uint8Array,
  c: BenchCase,
  dtypes: Readonly<Record<string, string>>,
  implementation: EngineImplementation,
  options: { graphs?: boolean; maxConcurrency?: number; reusedOutputs?: boolean } = {},
): Promise<ModuleRig> {
  setRuntime(implementation);
  const module = await TensorRTModule.fromEngine(plan, {
    environment,
    maxConcurrency: options.maxConcurrency ?? 1,
    outputMemory: options.reusedOutputs ? "reused" : "owned",
    runtimeSettings: { cudaGraphStrategy: options.graphs ? "whole_graph_capture" : "disabled" },
  });
  await module.materialize(implementation);
  const tensors: Tensor[] = [];
  const inputs = c.shapeSets.map((set) =>
    Object.fromEntries(
      Object.entries(set).map(([name, shape]) => {
        const t = Tensor.fromArray(inputValues(c.fixture, name, shape, dtypes[name] ?? "float32"), shape, { device: module.device });
        tensors.push(t);
        return [name, t];
      }),
    ),
  );
  return {
    module,
    inputs,
    release() {
      for (const t of tensors) t.dispose();
      module.release();
    },
  };
}

/** Host time per runSync() (with its wait and the outputs' dispose), alternating the shape sets. */
export function measureRunSync(rig: ModuleRig, implementation: EngineImplementation, iterations: number, graphs: boolean): Measurement {
  setRuntime(implementation);
  const { module, inputs } = rig;
  const warmup = Math.max(20, Math.floor(iterations / 10));
  const samples = new Float64Array(iterations);
  for (let n = 0; n < warmup + iterations; n++) {
    const set = inputs[n % inputs.length]!;
    const start = process.hrtime.bigint();
    module.runSync(set).dispose();
    const end = process.hrtime.bigint();
    if (n >= warmup) samples[n - warmup] = Number(end - start) / 1000;
  }
  if (graphs && module.stats.graphReplays === 0) {
    return unsupported("the runtime did not replay a CUDA graph for this engine (no CUDA graphs on this device layer, or data-dependent outputs)");
  }
  // Device time is not recorded here: the kernels are the emulator's, the same as the floor row's.
  return { host: summarize(samples), device: null, iterations };
}
