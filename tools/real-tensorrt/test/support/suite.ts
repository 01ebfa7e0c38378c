/**
 * The suite run on the real TensorRT fixtures (see real-tensorrt.test.ts),
 * as a function of where the fixtures and the library are, so the same
 * suite also runs in CI over the fixtures' emulator twin
 * (emulator-twin.test.ts): the harness is checked on every commit, the
 * real kernels wherever a GPU and TensorRT are.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { InputError, StaleTensorError, TensorRTEnvironment, TensorRTCallError, TensorRTModule, withRuntime } from "@trt/sdk";
import type { EngineImplementation, HostArray, RunInputs, RunResult } from "@trt/sdk";
import { afterAll, describe, expect, it } from "vitest";
import { casesOf, floats, readManifest, worstExcess } from "./fixtures.js";
import type { FixtureCase, FixtureEntry } from "./fixtures.js";

export interface SuiteTarget {
  /** One major's fixture folder (its manifest.json, engines and .npy files). */
  readonly directory: string;
  /** The libnvinfer to load. */
  readonly nvinferPath: string;
  /** The library is the lean runtime: only version-compatible fixtures run, and a plain engine must be refused. */
  readonly lean: boolean;
  /** The library is the project's emulator (the twin's run in CI), not TensorRT. */
  readonly emulator: boolean;
  /** Torch-TensorRT archives (.ep, .ts) around this fixture set's engines, if any (fixtures/torch-tensorrt). */
  readonly archives?: string;
}

/** Defines the suite over `target` (call at a test file's top level). */
export function defineFixtureSuite(target: SuiteTarget): void {
  const { directory, lean } = target;
  const manifest = readManifest(directory);
  const environment = new TensorRTEnvironment({ nvinferPath: target.nvinferPath });
  const implementations: EngineImplementation[] = [];
  const native = environment.nativeAvailability();
  if (native.available) implementations.push("native");
  else console.log(`[fixture suite] native engine skipped: ${native.error.reason}`);
  implementations.push("ffi");
  const built = manifest.fixtures.filter((f) => f.error === undefined);
  const selected = built.filter((f) => (lean ? f.lean === true : true) && !f.features?.includes("engine_host_code"));
  // Plans that carry engine host code; a large one may be left out of the repository.
  const hostCode = built.filter((f) => f.features?.includes("engine_host_code") && existsSync(join(directory, f.engine!)));
  const modules: TensorRTModule[] = [];
  afterAll(() => modules.forEach((m) => m.release()));

  const entry = (name: string): FixtureEntry => {
    const found = built.find((f) => f.name === name);
    if (!found) throw new Error(`fixture ${name} was not built for this TensorRT`);
    return found;
  };
  const engineBytes = (f: FixtureEntry): Uint8Array => readFileSync(join(directory, f.engine!));
  const load = async (impl: EngineImplementation, f: FixtureEntry, options: Parameters<typeof TensorRTModule.fromEngine>[1] = {}) => {
    const m = await withRuntime(impl, () => TensorRTModule.fromEngine(engineBytes(f), { environment, ...options }));
    modules.push(m);
    return m;
  };
  const inputsOf = (c: FixtureCase): RunInputs =>
    Object.fromEntries(
      Object.entries(c.inputs).map(([name, a]) => [name, { data: (a.dtype === "float16" ? floats(a) : a.data) as HostArray, shape: a.shape }]),
    );
  /** Every output of `result` against the case's references, within the fixture's tolerance. */
  const expectReference = async (f: FixtureEntry, c: FixtureCase, result: RunResult) => {
    for (const [name, expected] of Object.entries(c.outputs)) {
      const tensor = result.get(name);
      expect(tensor.shape, `${f.name} ${c.label} ${name} shape`).toEqual(expected.shape);
      const actual = await tensor.toArray();
      if (expected.dtype === "float32" || expected.dtype === "float16") {
        const excess = worstExcess(actual as Float32Array, floats(expected), f.tolerance!);
        expect(excess, `${f.name} ${c.label} ${name}: worst excess over the tolerance`).toBeLessThanOrEqual(0);
      } else {
        expect(Array.from(actual as ArrayLike<number | bigint>)).toEqual(Array.from(expected.data as ArrayLike<number | bigint>));
      }
    }
  };

  it(target.emulator ? "loaded the emulator of the fixtures' major" : "loaded real TensorRT of the fixtures' major, not the emulator", () => {
    const library = environment.library;
    if (target.emulator) expect(library.emulator).not.toBeNull();
    else expect(library.emulator).toBeNull();
    expect(library.version.major).toBe(manifest.major);
    console.log(`[fixture suite] ${library.path}: TensorRT ${library.version.major}.${library.version.minor}.${library.version.patch}; fixtures built with ${manifest.tensorrt} on ${manifest.gpu}`);
  });

  describe.each(implementations)("%s engine", (impl) => {
    const run = (m: TensorRTModule, inputs: RunInputs, options?: Parameters<TensorRTModule["run"]>[1]) => withRuntime(impl, () => m.run(inputs, options));

    it.each(selected.map((f) => [f.name, f] as const))("%s: outputs equal the reference", async (_name, f) => {
      const m = await load(impl, f);
      for (const c of casesOf(directory, f)) {
        const result = await run(m, inputsOf(c));
        try {
          await expectReference(f, c, result);
        } finally {
          result.dispose();
        }
      }
    });

    it.each(hostCode.map((f) => [f.name, f] as const))("%s: engine host code runs only once the user allows it", async (_name, f) => {
      if (lean || target.emulator) await expect(load(impl, f)).rejects.toBeInstanceOf(TensorRTCallError);
      const allowing = new TensorRTEnvironment({ nvinferPath: target.nvinferPath, allowEngineHostCode: true });
      const m = await withRuntime(impl, () => TensorRTModule.fromEngine(engineBytes(f), { environment: allowing }));
      modules.push(m);
      for (const c of casesOf(directory, f)) {
        using r = await withRuntime(impl, () => m.run(inputsOf(c)));
        await expectReference(f, c, r);
      }
    });

    if (lean) {
      it("the lean runtime refuses an engine that is not version-compatible, with an error", async () => {
        await expect(load(impl, entry("mlp3_b8_fp32"))).rejects.toBeInstanceOf(TensorRTCallError);
      });
      return;
    }

    it("two optimization profiles: each batch runs on the profile that holds it; a profile that does not is refused", async () => {
      const f = entry("dynamic_two_profiles");
      const m = await load(impl, f);
      expect(m.inputs[0]!.shape).toEqual([-1, 32]);
      const [small, large] = casesOf(directory, f).sort((a, b) => Number(a.label) - Number(b.label));
      using onSecond = await run(m, inputsOf(large!), { profile: 1 });
      await expectReference(f, large!, onSecond);
      await expect(run(m, inputsOf(small!), { profile: 1 })).rejects.toBeInstanceOf(InputError);
    });

    it("CUDA graphs (whole_graph_capture): one capture, then replays, each equal to the reference", async () => {
      const f = entry("mlp3_b8_fp32");
      const m = await load(impl, f, { runtimeSettings: { cudaGraphStrategy: "whole_graph_capture" } });
      const [c] = casesOf(directory, f);
      for (let i = 0; i < 4; i++) {
        using r = await run(m, inputsOf(c!));
        await expectReference(f, c!, r);
      }
      // The host-mode emulator's device layer has no CUDA graphs: the module runs plainly there.
      const graphs = environment.deviceLayer.capabilities.graphs;
      expect(m.stats).toMatchObject(graphs ? { graphCaptures: 1, graphReplays: 3 } : { graphCaptures: 0, graphReplays: 0 });
    });

    it("reused outputs: one module-owned buffer, right values, and the previous run's tensor is stale", async () => {
      const f = entry("mlp3_b64_fp32");
      const m = await load(impl, f, { outputMemory: "reused", maxConcurrency: 1 });
      const [c] = casesOf(directory, f);
      const first = await run(m, inputsOf(c!));
      await expectReference(f, c!, first);
      const second = await run(m, inputsOf(c!));
      await expectReference(f, c!, second);
      expect(() => first.get("y").toArraySync()).toThrow(StaleTensorError);
      expect(m.stats.reusedOutputBuffers).toBe(1);
      second.dispose();
      first.dispose();
    });

    it("the data-dependent output goes through the output allocator and has the data's shape", async () => {
      const f = entry("nonzero");
      const m = await load(impl, f);
      expect(m.outputs[0]!.shape.some((d) => d === -1)).toBe(true);
      const [c] = casesOf(directory, f);
      using r = await run(m, inputsOf(c!));
      await expectReference(f, c!, r);
    });

    it("profiling reports TensorRT's own layer names, and layer information describes them (kDETAILED)", async () => {
      const f = entry("mlp3_b8_detailed");
      const m = await load(impl, f);
      const [c] = casesOf(directory, f);
      using r = await run(m, inputsOf(c!), { profiling: true });
      await expectReference(f, c!, r);
      const layers = r.profiling!.layers;
      expect(layers.length).toBeGreaterThan(0);
      expect(layers.some((l) => l.name.includes("fc1"))).toBe(true);
      expect(layers.every((l) => l.ms >= 0)).toBe(true);
      const info = m.layerInformation();
      expect(info.length).toBeGreaterThan(0);
      expect(info.some((l) => l.name.includes("fc1"))).toBe(true);
      console.log(`[fixture suite] ${impl} layers: ${layers.map((l) => `${l.name} ${l.ms.toFixed(4)} ms`).join("; ")}`);
    });

    it("weight streaming: budgets from none to all streamed give the same outputs", async () => {
      const f = entry("mlp_weight_streaming");
      const m = await load(impl, f);
      const [c] = casesOf(directory, f);
      const state = m.weightStreaming;
      expect(state.streamableBytes).toBeGreaterThan(0);
      expect(state.streaming).toBe(false);
      for (const budget of [0, "auto", Math.floor(state.streamableBytes / 2), "off"] as const) {
        m.setWeightStreamingBudget(budget);
        using r = await run(m, inputsOf(c!));
        await expectReference(f, c!, r);
      }
      m.setWeightStreamingBudget(0);
      expect(m.weightStreaming.streaming).toBe(true);
      console.log(`[fixture suite] ${impl} weight streaming: ${JSON.stringify(m.weightStreaming)}`);
    });

    it("concurrent runs on several lanes each equal the reference", async () => {
      const f = entry("mlp3_b64_fp16");
      const m = await load(impl, f, { maxConcurrency: 4 });
      const [c] = casesOf(directory, f);
      const results = await Promise.all(Array.from({ length: 8 }, () => run(m, inputsOf(c!))));
      for (const r of results) {
        await expectReference(f, c!, r);
        r.dispose();
      }
      expect(m.stats.concurrency.lanes).toBeGreaterThan(1);
    });

    it("what users have: the plan file, Torch-TensorRT's .ep and .ts, each opened with one load() and equal to the reference", async () => {
      const f = entry("mlp3_b8_fp32");
      const [c] = casesOf(directory, f);
      const opened = async (file: string, options: { engine?: string | number } = {}) => {
        const m = await withRuntime(impl, () => TensorRTModule.load(file, { environment, ...options }));
        modules.push(m);
        return m;
      };
      const plan = await opened(join(directory, f.engine!));
      expect([plan.inputNames, plan.outputNames]).toEqual([["x"], ["y"]]);
      using fromPlan = await run(plan, inputsOf(c!));
      await expectReference(f, c!, fromPlan);
      if (target.archives === undefined) return;
      for (const file of ["tt_mlp3_b8.ep", "tt_mlp3_b8.ts"]) {
        const m = await opened(join(target.archives, file));
        expect(m.name, file).toBe("mlp3_b8_fp32_engine");
        using r = await run(m, inputsOf(c!));
        await expectReference(f, c!, r);
      }
      const small = entry("mlp3_b1_fp32");
      for (const file of ["tt_two_engines.ep", "tt_two_engines.ts"]) {
        await expect(opened(join(target.archives, file))).rejects.toMatchObject({ code: "AMBIGUOUS_ENGINE" });
        const m = await opened(join(target.archives, file), { engine: "_run_on_acc_1" });
        using r = await run(m, inputsOf(casesOf(directory, small)[0]!));
        await expectReference(small, casesOf(directory, small)[0]!, r);
      }
    });

    it("save() writes a container that loads back and runs the same", async () => {
      const f = entry("mlp3_b8_fp16");
      const m = await load(impl, f);
      const [c] = casesOf(directory, f);
      const again = await withRuntime(impl, () => TensorRTModule.fromTuple(m.toSerializedEngine(), { environment: environment }));
      modules.push(again);
      using r = await run(again, inputsOf(c!));
      await expectReference(f, c!, r);
    });
  });

  describe.runIf(implementations.length === 2 && !lean)("native and ffi agree", () => {
    it.each(built.filter((f) => !f.lean).map((f) => [f.name, f] as const))("%s: the same bytes from both", async (_name, f) => {
      const [c] = casesOf(directory, f);
      const out: Uint8Array[][] = [];
      for (const impl of ["native", "ffi"] as const) {
        const m = await load(impl, f);
        using r = await withRuntime(impl, () => m.run(inputsOf(c!)));
        const arrays: Uint8Array[] = [];
        for (const name of m.outputNames) {
          const a = await r.get(name).toArray({ raw: true });
          arrays.push(new Uint8Array(a.buffer, a.byteOffset, a.byteLength).slice());
        }
        out.push(arrays);
      }
      expect(out[0]).toEqual(out[1]);
    });
  });
}
