/** The I/O description an engine gives, read once at deserialization, for several fixtures and both ABI majors. */
import { afterAll, describe, expect, it } from "vitest";
import type { EngineHandle } from "../src/engine/contract.js";
import { backendFor, MAJORS, plan } from "./support/emulator.js";
import type { Major } from "./support/emulator.js";

describe.each(MAJORS)("engine I/O description, TensorRT %i emulator", (major: Major) => {
  const engines: EngineHandle[] = [];
  const load = async (name: string) => {
    const engine = await backendFor(major).deserialize(plan(name));
    engines.push(engine);
    return engine;
  };
  afterAll(() => engines.forEach((e) => e.release()));

  it("reports the library it loaded, and that it is the emulator in host or cuda mode", () => {
    const lib = backendFor(major).library;
    expect(lib.version.major).toBe(major);
    expect(lib.version.raw).toBe(lib.version.major * 10000 + lib.version.minor * 100 + lib.version.patch);
    expect(lib.emulator?.mode).toMatch(/^(host|cuda)$/);
    expect(lib.path).toContain(`libnvinfer.so.${major}`);
  });

  it("identity_f32: one static input, one output", async () => {
    const { info } = await load("identity_f32");
    expect(info.name).toBe("identity_f32");
    expect(info.layerCount).toBe(1);
    expect(info.profileCount).toBe(1);
    expect(info.io.map((t) => [t.name, t.mode, t.dtype, t.shape, t.location])).toEqual([
      ["x", "input", "float", [2, 3], "device"],
      ["y", "output", "float", [2, 3], "device"],
    ]);
    expect(info.io[0]!.profiles).toEqual([{ min: [2, 3], opt: [2, 3], max: [2, 3] }]);
    expect(info.io[1]!.profiles).toEqual([]);
    expect(info.io[0]!.format.length).toBeGreaterThan(0);
    expect(info.io.every((t) => t.aliasedInput === null)).toBe(true);
    expect(info.hardwareCompatibilityLevel).toBe("none");
    expect(Object.isFrozen(info) && Object.isFrozen(info.io) && Object.isFrozen(info.io[0]!.shape)).toBe(true);
  });

  it("add_dynamic: dynamic batch with two optimization profiles", async () => {
    const { info } = await load("add_dynamic");
    expect(info.profileCount).toBe(2);
    expect(info.io.map((t) => [t.name, t.mode, t.shape])).toEqual([
      ["a", "input", [-1, 4]],
      ["b", "input", [-1, 4]],
      ["sum", "output", [-1, 4]],
    ]);
    for (const input of info.io.slice(0, 2)) {
      expect(input.profiles).toEqual([
        { min: [1, 4], opt: [4, 4], max: [8, 4] },
        { min: [16, 4], opt: [32, 4], max: [64, 4] },
      ]);
    }
  });

  it("nonzero: a data-dependent int64 output next to an int32 copy", async () => {
    const { info } = await load("nonzero");
    expect(info.io.map((t) => [t.name, t.mode, t.dtype, t.shape])).toEqual([
      ["x", "input", "int32", [-1, 5]],
      ["indices", "output", "int64", [2, -1]],
      ["copy", "output", "int32", [-1, 5]],
    ]);
  });

  it("every_dtype: maps every DataType the emulator runs to the contract's names", async () => {
    const { info } = await load("every_dtype");
    const byName = Object.fromEntries(info.io.map((t) => [t.name, t.dtype]));
    expect(byName).toMatchObject({
      in_float32: "float",
      in_float16: "half",
      in_int8: "int8",
      in_int32: "int32",
      in_bool: "bool",
      in_uint8: "uint8",
      in_bfloat16: "bf16",
      in_int64: "int64",
      out_int64: "int64",
    });
  });

  it("mlp3: layers, scratch memory", async () => {
    const { info } = await load("mlp3");
    expect(info.layerCount).toBe(6);
    expect(info.io.map((t) => t.name)).toEqual(["x", "y"]);
    expect(info.deviceMemoryBytes).toBeGreaterThanOrEqual(4096);
  });

  it("aliased: the output names the input it aliases", async () => {
    const { info } = await load("aliased");
    expect(info.io.find((t) => t.name === "cache_out")?.aliasedInput).toBe("cache");
    expect(info.io.find((t) => t.name === "cache")?.aliasedInput).toBeNull();
  });

  it("weight_streaming: streamable weights and the budget", async () => {
    const engine = await load("weight_streaming");
    expect(engine.info.streamableWeightsBytes).toBe(1 << 20);
    engine.weightStreamingBudget = 1 << 19;
    expect(engine.weightStreamingBudget).toBe(1 << 19);
  });
});
