// Deserialization, cached I/O description and execution against the emulator
// in host mode, for both TensorRT majors.
import { FIXTURES, seededValues } from "@trt/emulator";
import { describe, expect, it } from "vitest";

import { ErrorCodes, ioNames, isTensorRTError } from "../src/index.js";
import { backendFor, MAJORS, plan, rejected, run, thrown, type HostArray } from "./helpers.js";

const TRT_DTYPE: Record<string, string> = {
  float32: "float",
  float16: "half",
  bfloat16: "bf16",
  int8: "int8",
  uint8: "uint8",
  int32: "int32",
  int64: "int64",
  bool: "bool",
};

describe.each(MAJORS)("TensorRT %i emulator", (major) => {
  const backend = backendFor(major);

  it("reports the library it loaded", () => {
    expect(backend.implementation).toBe("native");
    expect(backend.library.version.major).toBe(major);
    expect(backend.library.version.raw).toBe(
      backend.library.version.major * 10000 + backend.library.version.minor * 100 + backend.library.version.patch,
    );
    expect(backend.library.path).toContain(`libnvinfer.so.${major}`);
    // Host mode in CI; "cuda" where the emulator was built with CUDA and a GPU is present.
    expect(["host", "cuda"]).toContain(backend.library.emulator?.mode);
    expect(backend.memory.mode).toBe(backend.library.emulator?.mode);
  });

  it("describes a static engine once, frozen", async () => {
    const engine = await backend.deserialize(plan("identity_f32"));
    const info = engine.info;
    expect(info).toBe(engine.info); // cached, same object
    expect(Object.isFrozen(info)).toBe(true);
    expect(Object.isFrozen(info.io[0]?.shape)).toBe(true);
    expect(info).toMatchObject({ name: "identity_f32", layerCount: 1, profileCount: 1, hardwareCompatibilityLevel: "none" });
    expect(info.io).toEqual([
      {
        name: "x",
        mode: "input",
        dtype: "float",
        shape: [2, 3],
        location: "device",
        format: expect.any(String),
        profiles: [{ min: [2, 3], opt: [2, 3], max: [2, 3] }],
        aliasedInput: null,
      },
      {
        name: "y",
        mode: "output",
        dtype: "float",
        shape: [2, 3],
        location: "device",
        format: expect.any(String),
        profiles: [],
        aliasedInput: null,
      },
    ]);
    engine.release();
  });

  it("describes dynamic inputs with every profile's min/opt/max", async () => {
    const engine = await backend.deserialize(plan("add_dynamic"));
    expect(engine.info.profileCount).toBe(2);
    const a = engine.info.io.find((t) => t.name === "a");
    expect(a?.shape).toEqual([-1, 4]);
    expect(a?.profiles).toEqual([
      { min: [1, 4], opt: [4, 4], max: [8, 4] },
      { min: [16, 4], opt: [32, 4], max: [64, 4] },
    ]);
    expect(ioNames(engine.info)).toEqual({ inputs: ["a", "b"], outputs: ["sum"] });
  });

  it("runs a static engine", async () => {
    const engine = await backend.deserialize(plan("identity_f32"));
    const context = engine.createContext("static");
    const x = Float32Array.from([1, 2, 3, 4, 5, 6]);
    const out = run(backend, engine, context, { x: { shape: [2, 3], data: x } });
    expect(out.y?.shape).toEqual([2, 3]);
    expect(Array.from(out.y?.data as Float32Array)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("runs dynamic shapes, changing shape between calls and switching profiles", async () => {
    const engine = await backend.deserialize(plan("add_dynamic"));
    const context = engine.createContext("static");
    for (const batch of [1, 8, 3, 3]) {
      const a = Float32Array.from({ length: batch * 4 }, (_, i) => i);
      const b = Float32Array.from({ length: batch * 4 }, (_, i) => 100 * i);
      const out = run(backend, engine, context, { a: { shape: [batch, 4], data: a }, b: { shape: [batch, 4], data: b } });
      expect(out.sum?.shape).toEqual([batch, 4]);
      expect(Array.from(out.sum?.data as Float32Array)).toEqual(Array.from(a, (v, i) => v + (b[i] as number)));
    }
    expect(context.optimizationProfile).toBe(0);
    context.setOptimizationProfile(1, 0);
    expect(context.optimizationProfile).toBe(1);
    const a = new Float32Array(32 * 4).fill(1.5);
    const out = run(backend, engine, context, { a: { shape: [32, 4], data: a }, b: { shape: [32, 4], data: a } });
    expect(out.sum?.shape).toEqual([32, 4]);
    expect(out.sum?.data.every((v) => v === 3)).toBe(true);
  });

  it("runs several inputs into one output (concat)", async () => {
    const engine = await backend.deserialize(plan("concat"));
    const context = engine.createContext("static");
    const out = run(backend, engine, context, {
      a: { shape: [2, 2], data: Float32Array.from([1, 2, 3, 4]) },
      b: { shape: [2, 3], data: Float32Array.from([5, 6, 7, 8, 9, 10]) },
      c: { shape: [2, 1], data: Float32Array.from([11, 12]) },
    });
    expect(out.y?.shape).toEqual([2, 6]);
    expect(Array.from(out.y?.data as Float32Array)).toEqual([1, 2, 5, 6, 7, 11, 3, 4, 8, 9, 10, 12]);
  });

  it("runs one input into many outputs of every dtype (cast)", async () => {
    const engine = await backend.deserialize(plan("cast"));
    const context = engine.createContext("static");
    // Values whose integer conversion does not depend on the rounding mode.
    const x = Float32Array.from([-2, 0, 2.25, 300, 0.25, -0.25, 7, 1e9]);
    const out = run(backend, engine, context, { x: { shape: [2, 4], data: x } });
    expect(Object.keys(out).sort()).toEqual(
      ["as_bfloat16", "as_bool", "as_float16", "as_int32", "as_int64", "as_int8", "as_uint8", "f16_roundtrip"].sort(),
    );
    expect(engine.info.io.find((t) => t.name === "as_int64")?.dtype).toBe("int64");
    expect(Array.from(out.as_bool?.data as Uint8Array)).toEqual([1, 0, 1, 1, 1, 1, 1, 1]);
    expect(Array.from(out.as_int8?.data as Int8Array)).toEqual([-2, 0, 2, 127, 0, 0, 7, 127]);
    expect(out.as_int64?.data[3]).toBe(300n);
    expect(Array.from(out.f16_roundtrip?.data as Float32Array).slice(0, 3)).toEqual([-2, 0, 2.25]);
  });

  it("round-trips every dtype the emulator has", async () => {
    const engine = await backend.deserialize(plan("every_dtype"));
    const description = FIXTURES.every_dtype;
    const dtypes: string[] = description?.inputs.map((i: { dtype: string }) => i.dtype) ?? [];
    expect(dtypes.length).toBeGreaterThanOrEqual(8);
    for (const d of dtypes) {
      expect(engine.info.io.find((t) => t.name === `in_${d}`)?.dtype).toBe(TRT_DTYPE[d]);
      expect(engine.info.io.find((t) => t.name === `out_${d}`)?.dtype).toBe(TRT_DTYPE[d]);
    }
    const context = engine.createContext("static");
    const inputs: Record<string, { shape: number[]; data: HostArray }> = {};
    for (const t of engine.info.io.filter((t) => t.mode === "input")) {
      const data = arrayForSpec(t.dtype, 3 * 3);
      for (let i = 0; i < data.length; i++) {
        if (data instanceof BigInt64Array) data[i] = BigInt(i * 1_000_000_007) - 5n;
        else data[i] = t.dtype === "bool" ? i % 2 : (i * 37 + 1) % 120;
      }
      inputs[t.name] = { shape: [3, 3], data };
    }
    const out = run(backend, engine, context, inputs);
    for (const d of dtypes) {
      expect(out[`out_${d}`]?.shape).toEqual([3, 3]);
      expect(Array.from(out[`out_${d}`]?.data as ArrayLike<unknown>)).toEqual(Array.from(inputs[`in_${d}`]?.data as ArrayLike<unknown>));
    }
  });

  it("computes an MLP that matches a JS reference", async () => {
    const engine = await backend.deserialize(plan("mlp3"));
    const context = engine.createContext("static");
    const batch = 5;
    const x = seededValues(7, batch * 16, -1, 1);
    const out = run(backend, engine, context, { x: { shape: [batch, 16], data: x } });
    const sizes = [16, 32, 32, 8];
    let act: Float32Array = x;
    for (let l = 0; l < 3; l++) {
      const k = sizes[l] as number;
      const n = sizes[l + 1] as number;
      const w = seededValues(1000 + 2 * l, k * n);
      const bias = seededValues(1001 + 2 * l, n);
      const next = new Float32Array(batch * n);
      for (let r = 0; r < batch; r++)
        for (let j = 0; j < n; j++) {
          let s = bias[j] as number;
          for (let q = 0; q < k; q++) s += (act[r * k + q] as number) * (w[q * n + j] as number);
          next[r * n + j] = Math.max(0, s);
        }
      act = next;
    }
    expect(out.y?.shape).toEqual([batch, 8]);
    const y = out.y?.data as Float32Array;
    act.forEach((v, i) => expect(y[i]).toBeCloseTo(v, 4));
  });

  it("keeps an execute loop allocation-free of new bindings when nothing changed", async () => {
    const engine = await backend.deserialize(plan("identity_f32"));
    const context = engine.createContext("static");
    const { memory } = backend;
    const x = memory.alloc(24);
    const y = memory.alloc(24);
    memory.copyHostToDevice(x, Float32Array.from([6, 5, 4, 3, 2, 1]));
    const request = { inputShapes: new Float64Array([2, 2, 3]), addresses: new Float64Array([x, y]), stream: 0 };
    for (let i = 0; i < 1000; i++) context.execute(request);
    await context.executeAsync(request);
    await memory.synchronize(0);
    const out = new Float32Array(6);
    memory.copyDeviceToHost(out, y);
    expect(Array.from(out)).toEqual([6, 5, 4, 3, 2, 1]);
    memory.free(x);
    memory.free(y);
  });

  it("serializes to bytes that deserialize to the same engine", async () => {
    const engine = await backend.deserialize(plan("mlp3"));
    const bytes = engine.serialize();
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(bytes.byteLength).toBeGreaterThan(0);
    const again = backend.deserializeSync(bytes);
    expect(again.info).toEqual(engine.info);
  });

  it("exposes the inspector as JSON, with and without a context", async () => {
    const engine = await backend.deserialize(plan("mlp3"));
    const context = engine.createContext("static");
    context.inferOutputShapes(new Float64Array([2, 4, 16]));
    const whole = JSON.parse(engine.engineInformation()) as unknown;
    expect(whole).toBeTypeOf("object");
    expect(JSON.parse(engine.engineInformation(context))).toBeTypeOf("object");
    const layer = engine.layerInformation(0, context);
    expect(layer).toContain("fc1");
    expect(() => engine.layerInformation(engine.info.layerCount)).toThrow(/^layerInformation: expected layerIndex below \d+ \(the engine's layers\); found \d+$/);
    const other = (await backend.deserialize(plan("identity_f32"))).createContext("static");
    expect(() => engine.engineInformation(other)).toThrow(/found a context of another engine/);
  });

  it("reports device memory, aliasing and weight streaming", async () => {
    const mlp = await backend.deserialize(plan("mlp3"));
    expect(mlp.info.deviceMemoryBytes).toBeGreaterThanOrEqual(4096);
    const context = mlp.createContext("user_managed");
    context.inferOutputShapes(new Float64Array([2, 64, 16]));
    const bytes = context.deviceMemoryBytesForShapes();
    expect(bytes).toBeGreaterThan(0);
    const scratch = backend.memory.alloc(bytes);
    context.setDeviceMemory(scratch, bytes);
    const out = run(backend, mlp, context, { x: { shape: [64, 16], data: new Float32Array(64 * 16) } });
    expect(out.y?.shape).toEqual([64, 8]);

    const aliased = await backend.deserialize(plan("aliased"));
    expect(aliased.info.io.find((t) => t.name === "cache_out")?.aliasedInput).toBe("cache");

    const streaming = await backend.deserialize(plan("weight_streaming"));
    expect(streaming.info.streamableWeightsBytes).toBe(1 << 20);
    streaming.weightStreamingBudget = 1 << 19;
    expect(streaming.weightStreamingBudget).toBe(1 << 19);
  });

  it("weight streaming: budget, automatic budget, scratch, and TensorRT's rules", async () => {
    // mlp3_streaming: mlp3 built with weight streaming (1864 float32 weights and biases).
    const engine = await backend.deserialize(plan("mlp3_streaming"));
    const streamable = 1864 * 4;
    expect(engine.info.streamableWeightsBytes).toBe(streamable);
    expect(engine.weightStreamingBudget).toBe(streamable); // default: nothing streams
    expect(engine.weightStreamingAutomaticBudget).toBe(3584);
    expect(engine.weightStreamingScratchMemoryBytes).toBe(0);
    engine.weightStreamingBudget = 0;
    expect(engine.weightStreamingBudget).toBe(0);
    expect(engine.weightStreamingScratchMemoryBytes).toBe(2048);
    // At or above the streamable size: streaming off (TensorRT's V2 semantics).
    engine.weightStreamingBudget = streamable + 100;
    expect(engine.weightStreamingBudget).toBe(streamable);
    expect(engine.weightStreamingScratchMemoryBytes).toBe(0);
    // V2 has no special negative values; fractions and non-numbers are refused before TensorRT.
    for (const bad of [-1, -2, 0.5, Number.NaN, "1000"]) {
      expect(thrown(() => (engine.weightStreamingBudget = bad as number))).toMatchObject({ code: ErrorCodes.Input });
    }
    // Not while an execution context exists.
    const context = engine.createContext("static");
    const refused = thrown(() => (engine.weightStreamingBudget = 1000));
    expect(refused).toMatchObject({ code: ErrorCodes.TensorRT, method: "ICudaEngine::setWeightStreamingBudgetV2" });
    expect(String(refused.tensorrtMessage)).toMatch(/execution contexts exist/);
    context.release();
    engine.weightStreamingBudget = 1000;
    expect(engine.weightStreamingBudget).toBe(1000);
    // Results are those of mlp3.
    const x = { shape: [3, 16], data: Float32Array.from(seededValues(5, 48)) };
    const plain = await backend.deserialize(plan("mlp3"));
    const expected = run(backend, plain, plain.createContext("static"), { x }).y?.data;
    expect(run(backend, engine, engine.createContext("static"), { x }).y?.data).toEqual(expected);
    // An engine without streamable weights: TensorRT refuses.
    expect(thrown(() => (plain.weightStreamingBudget = 0))).toMatchObject({ code: ErrorCodes.TensorRT });
    for (const e of [engine, plain]) e.release();
    expect(thrown(() => engine.weightStreamingAutomaticBudget)).toMatchObject({ code: ErrorCodes.Released });
    expect(thrown(() => engine.weightStreamingScratchMemoryBytes)).toMatchObject({ code: ErrorCodes.Released });
  });

  it("refuses a plan that needs host code until it is allowed", async () => {
    const e = await rejected(backend.deserialize(plan("host_code")));
    expect(isTensorRTError(e)).toBe(true);
    backend.setEngineHostCodeAllowed(true);
    try {
      const engine = await backend.deserialize(plan("host_code"));
      expect(engine.info.name).toBe("host_code");
    } finally {
      backend.setEngineHostCodeAllowed(false);
    }
  });

  it(major === 10 ? "refuses an engine built for TensorRT 11" : "loads an engine built for TensorRT 11", async () => {
    if (major === 10) {
      const e = await rejected(backend.deserialize(plan("trt11_only")));
      expect(e).toMatchObject({ code: "TRT_TENSORRT_ERROR", method: "IRuntime::deserializeCudaEngine" });
      expect(e.tensorrtMessage).toBeTypeOf("string");
    } else {
      expect((await backend.deserialize(plan("trt11_only"))).info.name).toBe("trt11_only");
    }
  });

  it("deserializes concurrently off the JS thread", async () => {
    const names = ["identity_f32", "add_dynamic", "mlp3", "cast", "concat", "every_dtype"];
    const engines = await Promise.all(names.map((n) => backend.deserialize(plan(n))));
    expect(engines.map((e) => e.info.name)).toEqual(names);
  });
});

function arrayForSpec(dtype: string, n: number): HostArray {
  switch (dtype) {
    case "float":
      return new Float32Array(n);
    case "half":
    case "bf16":
      return new Uint16Array(n);
    case "int8":
      return new Int8Array(n);
    case "int32":
      return new Int32Array(n);
    case "int64":
      return new BigInt64Array(n);
    default:
      return new Uint8Array(n);
  }
}
