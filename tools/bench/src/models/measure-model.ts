/**
 * Our rows for one real model on one engine implementation: for each bench
 * case, run() at 1, 2, 4 and 8 in flight on a module allowed as many runs at
 * once (each in flight gets its own execution context and stream, as the
 * anchors give TensorRT Python as many contexts and streams; lanes are made
 * only when all are busy, so at N in flight N are in use), and runSync() at
 * one; then, at batch 1, CUDA-graph replay (whole_graph_capture, reused
 * outputs) through run() and runSync(). Inputs are on the device, uploaded
 * once, as the anchors bind theirs once; each run's outputs are disposed.
 * A point that fails is recorded as unsupported with the error, and the rest
 * go on.
 */
import { join } from "node:path";
import type { EngineImplementation, RunInputs, TensorRTEnvironment } from "@trt/runtime";
import { setRuntime, Tensor, TensorRTModule } from "@trt/runtime";
import { batchOf, readCaseInputs } from "@trt/real-tensorrt/models";
import type { BuiltModel, ModelCase } from "@trt/real-tensorrt/models";
import type { BenchRow } from "./model-rows.js";
import type { PointBudget, PointResult } from "./timed-point.js";
import { measureBlocking, measureConcurrent } from "./timed-point.js";

export interface ModelBenchContext {
  readonly environment: TensorRTEnvironment;
  /** MODELS_DIR. */
  readonly directory: string;
  readonly budget: PointBudget;
  readonly inFlight: readonly number[];
  readonly progress: (message: string) => void;
}

const message = (e: unknown) => (e instanceof Error ? (e.name === "Error" ? e.message : `${e.name}: ${e.message}`) : String(e)).split("\n")[0]!.slice(0, 300);

/** The bench cases of a model. */
export const benchCases = (model: BuiltModel): ModelCase[] => model.cases.filter((c) => c.bench);
/** The case graph replay is measured on: the first bench case of batch 1. */
export const graphCase = (model: BuiltModel): ModelCase | undefined => benchCases(model).find((c) => batchOf(c) === 1);

/** The case's inputs, uploaded to the module's device in the engine's input dtypes. */
export function deviceInputs(module: TensorRTModule, directory: string, c: ModelCase): { inputs: RunInputs; dispose(): void } {
  const arrays = readCaseInputs(directory, c);
  const tensors: Tensor[] = [];
  const inputs: Record<string, Tensor> = {};
  for (const spec of module.inputs) {
    const a = arrays[spec.name];
    if (!a) throw new Error(`case ${c.name} has no input ${spec.name}`);
    const t = Tensor.fromArray(a.data, a.shape, { dtype: spec.dtype, device: module.device });
    tensors.push(t);
    inputs[spec.name] = t;
  }
  return { inputs, dispose: () => tensors.forEach((t) => t.dispose()) };
}

async function load(context: ModelBenchContext, model: BuiltModel, implementation: EngineImplementation, options: Parameters<typeof TensorRTModule.load>[1]): Promise<TensorRTModule> {
  setRuntime(implementation);
  const module = await TensorRTModule.load(join(context.directory, model.engine), { environment: context.environment, ...options });
  if (model.weightStreaming) module.setWeightStreamingBudget(model.weightStreaming.budgetBytes);
  await module.materialize(implementation);
  return module;
}

/** Every one of our rows for `model` on `implementation`. */
export async function measureModel(context: ModelBenchContext, model: BuiltModel, implementation: EngineImplementation): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const cases = benchCases(model);
  const point = async (c: ModelCase, row: string, inFlight: number, measure: () => Promise<PointResult> | PointResult) => {
    try {
      rows.push({ model: model.name, case: c.name, row, inFlight, ...(await measure()) });
    } catch (e) {
      rows.push({ model: model.name, case: c.name, row, inFlight, unsupported: message(e) });
    }
  };
  const failAll = (row: string, levels: readonly number[], reason: string, only?: ModelCase) => {
    for (const c of only ? [only] : cases) for (const n of levels) rows.push({ model: model.name, case: c.name, row, inFlight: n, unsupported: reason });
  };

  let plain: TensorRTModule | undefined;
  try {
    plain = await load(context, model, implementation, { maxConcurrency: Math.max(...context.inFlight) });
  } catch (e) {
    failAll(`${implementation}_run`, context.inFlight, `load: ${message(e)}`);
    failAll(`${implementation}_runSync`, [1], `load: ${message(e)}`);
  }
  if (plain) {
    const module = plain;
    try {
      for (const c of cases) {
        const started = performance.now();
        const { inputs, dispose } = deviceInputs(module, context.directory, c);
        const options = { profile: c.profile };
        try {
          for (const n of context.inFlight) {
            await point(c, `${implementation}_run`, n, () => measureConcurrent(async () => (await module.run(inputs, options)).dispose(), n, context.budget));
          }
          await point(c, `${implementation}_runSync`, 1, () => measureBlocking(() => module.runSync(inputs, options).dispose(), context.budget));
        } finally {
          dispose();
        }
        context.progress(`${model.name} ${c.name} ${implementation}: run() at ${context.inFlight.join("/")} in flight, runSync() (${((performance.now() - started) / 1000).toFixed(1)} s)`);
      }
    } finally {
      module.release();
    }
  }

  const batchOne = graphCase(model);
  const graphRows = [`${implementation}_graph_run`, `${implementation}_graph_runSync`];
  if (!batchOne) {
    const first = cases[0];
    if (first) for (const row of graphRows) rows.push({ model: model.name, case: first.name, row, inFlight: 1, unsupported: "no bench case of batch 1" });
    return rows;
  }
  let graphed: TensorRTModule;
  try {
    graphed = await load(context, model, implementation, { maxConcurrency: 1, outputMemory: "reused", runtimeSettings: { cudaGraphStrategy: "whole_graph_capture" } });
  } catch (e) {
    for (const row of graphRows) failAll(row, [1], `load: ${message(e)}`, batchOne);
    return rows;
  }
  try {
    const { inputs, dispose } = deviceInputs(graphed, context.directory, batchOne);
    const options = { profile: batchOne.profile };
    const replayed = (measure: () => Promise<PointResult> | PointResult) => async () => {
      const before = graphed.stats;
      const result = await measure();
      const after = graphed.stats;
      const replays = after.graphReplays - before.graphReplays;
      if (replays < result.calls) {
        throw new Error(noReplayReason(context.environment, { calls: result.calls, replays, captures: after.graphCaptures - before.graphCaptures, failure: after.graphFailure }));
      }
      return result;
    };
    try {
      await point(batchOne, graphRows[0]!, 1, replayed(() => measureConcurrent(async () => (await graphed.run(inputs, options)).dispose(), 1, context.budget)));
      await point(batchOne, graphRows[1]!, 1, replayed(() => measureBlocking(() => graphed.runSync(inputs, options).dispose(), context.budget)));
    } finally {
      dispose();
    }
    context.progress(`${model.name} ${batchOne.name} ${implementation}: CUDA-graph replay, run() and runSync()`);
  } finally {
    graphed.release();
  }
  return rows;
}

/** Why graph replay was not measured; the counts tell a refused or failed capture (no captures) from a key that kept changing (captures). */
function noReplayReason(environment: TensorRTEnvironment, counts: { calls: number; replays: number; captures: number; failure: string | null }): string {
  if (!environment.deviceLayer.capabilities.graphs) return "no CUDA graphs on this device layer (the emulator's host mode)";
  const seen = `${counts.calls} calls, ${counts.replays} replays, ${counts.captures} captures`;
  if (counts.captures > 0) return `the runtime captured again instead of replaying (${seen}): the capture key (profile, input shapes, tensor addresses) changed between calls; NODE_DEBUG=trt names what changed`;
  if (counts.failure !== null) return `the runtime did not replay a graph (${seen}): ${counts.failure}`;
  return `the runtime did not capture a graph (${seen}) and gave no reason`;
}
