/**
 * The real-model suite (see real-models.test.ts) as a function of where the
 * models and the library are, so the same checks run in CI over the models'
 * emulator twin (models-twin.test.ts).
 *
 * For every model the builder made, on each engine implementation: the
 * engine file is the one the manifest names; TensorRTModule.load opens it
 * (weight streaming at the manifest's budget where it has one); every case
 * runs through run() on its profile, its outputs equal to TensorRT Python's
 * within tolerance.trt and close to PyTorch's within tolerance.torch, the
 * largest differences printed; one case through `trt run` and one through
 * trt-server give the same; and native and ffi give the same bytes. A model
 * the builder failed on is a failing test that prints the reason. Detections
 * from EfficientNMS_TRT are compared with equal-score ones in one order
 * (models/nms-order.ts says why).
 */
import { createHash } from "node:crypto";
import { createReadStream, statSync } from "node:fs";
import { join } from "node:path";
import { TensorRTEnvironment, TensorRTModule, withRuntime } from "@trt/sdk";
import type { EngineImplementation, NpyArray, RunResult } from "@trt/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compareValues, describeComparison, hasNmsOutputs, hostInputs, inCanonicalNmsOrder, numbers, readArray, readCaseInputs, readModelsManifest, singleRequestCase } from "../../models/index.js";
import type { BuiltModel, ModelCase, Tolerance } from "../../models/index.js";
import { runCli } from "./cli-run.js";
import { inferThroughServer } from "./server-infer.js";

export interface ModelsSuiteTarget {
  /** MODELS_DIR: manifest.json, the engines and the cases' .npy files. */
  readonly directory: string;
  /** The libnvinfer to load. */
  readonly nvinferPath: string;
  /** The library is the project's emulator (the twin's run in CI), not TensorRT. */
  readonly emulator: boolean;
}

/** An output as compared: its shape and values as numbers. */
interface Produced {
  readonly shape: readonly number[];
  readonly values: Float64Array;
}

/** A process spawned per check (CLI, server) loads the engine from scratch: seconds for a GB engine. */
const PROCESS_TIMEOUT_MS = 600_000;

const sha256Of = (path: string) =>
  new Promise<string>((resolve, reject) => {
    const hash = createHash("sha256");
    createReadStream(path)
      .on("data", (c) => hash.update(c))
      .on("error", reject)
      .on("end", () => resolve(hash.digest("hex")));
  });

const fromNpy = (a: NpyArray): Produced => ({ shape: a.shape, values: numbers(a.data as ArrayLike<number> | BigInt64Array, a.dtype) });

/** Defines the suite over `target` (call at a test file's top level). */
export function defineModelsSuite(target: ModelsSuiteTarget): void {
  const { directory } = target;
  const manifest = readModelsManifest(directory);
  const environment = new TensorRTEnvironment({ nvinferPath: target.nvinferPath });
  const implementations: EngineImplementation[] = [];
  const native = environment.nativeAvailability();
  if (native.available) implementations.push("native");
  else console.log(`[models] native engine skipped: ${native.error.reason}`);
  implementations.push("ffi");
  const built = manifest.models.filter((m): m is BuiltModel => m.status === "ok");
  const failed = manifest.models.filter((m) => m.status === "failed");
  /** Raw output bytes per "impl/model/case", for native-against-ffi. */
  const raw = new Map<string, Uint8Array[]>();
  /** The same outputs as numbers, NMS detections in canonical order, for native-against-ffi on a detector. */
  const ordered = new Map<string, Record<string, Produced>>();
  const differences: string[] = [];
  afterAll(() => {
    if (differences.length > 0) console.log(`[models] largest differences seen:\n  ${differences.join("\n  ")}`);
  });

  /** Every reference output of `refs` against what was produced; those that are no output are named and skipped. */
  const expectOutputs = (what: string, produced: Readonly<Record<string, Produced>>, refs: Readonly<Record<string, string>>, tolerance: Tolerance) => {
    const actualAll = inCanonicalNmsOrder(produced);
    const expectedAll = inCanonicalNmsOrder(Object.fromEntries(Object.entries(refs).map(([name, file]) => [name, fromNpy(readArray(directory, file))])));
    for (const name of Object.keys(refs)) {
      const actual = actualAll[name];
      if (!actual) {
        console.log(`[models] ${what}: reference ${name} is not an output of the engine; not compared`);
        continue;
      }
      const expected = expectedAll[name]!;
      expect(actual.shape, `${what} ${name} shape`).toEqual(expected.shape);
      const comparison = compareValues(actual.values, expected.values, tolerance);
      const line = describeComparison(`${what} ${name}`, comparison, tolerance);
      differences.push(line);
      expect(comparison.outside, line).toBe(0);
    }
  };
  const fromResult = async (result: RunResult): Promise<Record<string, Produced>> => {
    const out: Record<string, Produced> = {};
    for (const name of result.names) {
      const tensor = result.get(name);
      out[name] = { shape: tensor.shape, values: numbers(await tensor.toArray()) };
    }
    return out;
  };

  it(target.emulator ? "loaded the emulator (the models' twin)" : "loaded real TensorRT, not the emulator", () => {
    const library = environment.library;
    if (target.emulator) expect(library.emulator).not.toBeNull();
    else expect(library.emulator).toBeNull();
    const { major, minor, patch } = library.version;
    console.log(`[models] ${library.path}: TensorRT ${major}.${minor}.${patch}; models built with ${manifest.tensorrt} on ${manifest.gpu} (builder optimization level ${manifest.builderOptimizationLevel ?? "unknown"})`);
    expect(manifest.models.length, "the manifest lists models").toBeGreaterThan(0);
  });

  // A failed build must fail the suite, with its reason. The twin has one on purpose; there the
  // test is expected to fail (it.fails), so CI checks that it does.
  for (const model of failed) {
    (target.emulator ? it.fails : it)(`${model.name}: was built`, () => {
      throw new Error(`${model.name} was not built: ${model.status === "failed" ? model.reason : ""}`);
    });
  }

  describe.each(built.map((m) => [m.name, m] as const))("%s", (_name, model) => {
    const enginePath = join(directory, model.engine);

    it("the engine file is the one the manifest names (size, sha256)", async () => {
      expect(statSync(enginePath).size).toBe(model.bytes);
      expect(await sha256Of(enginePath)).toBe(model.sha256);
      if (model.plugins.length > 0) console.log(`[models] ${model.name} has plugin layers: ${model.plugins.join(", ")} (TensorRT's own plugin library)`);
    });

    describe.each(implementations)("%s engine", (impl) => {
      let module: TensorRTModule;
      beforeAll(async () => {
        module = await withRuntime(impl, () => TensorRTModule.load(enginePath, { environment, maxConcurrency: 1 }));
        if (model.weightStreaming) module.setWeightStreamingBudget(model.weightStreaming.budgetBytes);
        await module.materialize(impl);
      }, PROCESS_TIMEOUT_MS);
      afterAll(() => module?.release());

      if (model.weightStreaming) {
        const ws = model.weightStreaming;
        it("streams its weights at the manifest's budget, below the engine's size", () => {
          expect(ws.budgetBytes).toBeLessThan(ws.engineBytes);
          const state = module.weightStreaming;
          expect(state.streaming).toBe(true);
          expect(state.budgetBytes).toBe(ws.budgetBytes);
          expect(state.streamableBytes).toBeGreaterThan(ws.budgetBytes);
          console.log(`[models] ${impl} ${model.name} weight streaming: ${JSON.stringify(state)}`);
        });
      }

      it.each(model.cases.map((c) => [c.name, c] as const))("%s: run() equals TensorRT Python's outputs and is close to PyTorch's", async (_case, c: ModelCase) => {
        const inputs = readCaseInputs(directory, c);
        const result = await withRuntime(impl, () => module.run(hostInputs(inputs), { profile: c.profile }));
        try {
          const produced = await fromResult(result);
          expect(Object.keys(produced).sort()).toEqual(module.outputNames.slice().sort());
          const bytes: Uint8Array[] = [];
          for (const name of module.outputNames) {
            const a = await result.get(name).toArray({ raw: true });
            bytes.push(new Uint8Array(a.buffer, a.byteOffset, a.byteLength).slice());
          }
          raw.set(`${impl}/${model.name}/${c.name}`, bytes);
          ordered.set(`${impl}/${model.name}/${c.name}`, inCanonicalNmsOrder(produced));
          expectOutputs(`${impl} ${model.name} ${c.name} vs TensorRT Python`, produced, c.trt, model.tolerance.trt);
          expectOutputs(`${impl} ${model.name} ${c.name} vs PyTorch`, produced, c.torch, model.tolerance.torch);
        } finally {
          result.dispose();
        }
      });

      const single = singleRequestCase(model);
      it(`${single.name} through trt run (the CLI)`, { timeout: PROCESS_TIMEOUT_MS }, async () => {
        const inputs = Object.fromEntries(Object.entries(single.inputs).map(([name, a]) => [name, join(directory, a.file)]));
        const { outputs, tensorrt, implementation } = await runCli({ implementation: impl, nvinferPath: target.nvinferPath, engine: enginePath, inputs });
        expect(implementation).toBe(impl);
        if (!target.emulator) expect(tensorrt).toMatch(/^TensorRT \d+\.\d+\.\d+$/);
        expect(Object.keys(outputs).sort()).toEqual(module.outputNames.slice().sort());
        const produced = Object.fromEntries(Object.entries(outputs).map(([n, a]) => [n, fromNpy(a)]));
        expectOutputs(`${impl} ${model.name} ${single.name} trt run vs TensorRT Python`, produced, single.trt, model.tolerance.trt);
      });

      it(`${single.name} through trt-server (one KServe v2 binary request)`, { timeout: PROCESS_TIMEOUT_MS }, async () => {
        const outputs = await inferThroughServer({ implementation: impl, nvinferPath: target.nvinferPath, model: model.name, engine: enginePath, inputs: readCaseInputs(directory, single) });
        expect(Object.keys(outputs).sort()).toEqual(module.outputNames.slice().sort());
        const produced = Object.fromEntries(Object.entries(outputs).map(([n, a]) => [n, fromNpy(a)]));
        expectOutputs(`${impl} ${model.name} ${single.name} trt-server vs TensorRT Python`, produced, single.trt, model.tolerance.trt);
      });
    });

    describe.runIf(implementations.length === 2)("native and ffi agree", () => {
      it.each(model.cases.map((c) => [c.name, c] as const))("%s: the same bytes from both", (_case, c: ModelCase) => {
        const fromNative = raw.get(`native/${model.name}/${c.name}`);
        const fromFfi = raw.get(`ffi/${model.name}/${c.name}`);
        expect(fromNative, "native ran this case (see its failure above)").toBeDefined();
        expect(fromFfi, "ffi ran this case (see its failure above)").toBeDefined();
        expect(fromFfi!.length).toBe(fromNative!.length);
        const orderedNative = ordered.get(`native/${model.name}/${c.name}`)!;
        const orderedFfi = ordered.get(`ffi/${model.name}/${c.name}`)!;
        if (hasNmsOutputs(orderedNative)) {
          // Equal-score detections may come in either order (models/nms-order.ts): every value, in one order.
          for (const [name, output] of Object.entries(orderedNative)) {
            const other = orderedFfi[name]!;
            expect(Buffer.compare(Buffer.from(output.values.buffer), Buffer.from(other.values.buffer)), `output ${name}`).toBe(0);
          }
          return;
        }
        fromNative!.forEach((bytes, i) => expect(Buffer.compare(Buffer.from(bytes), Buffer.from(fromFfi![i]!)), `output ${i}`).toBe(0));
      });
    });
  });
}
