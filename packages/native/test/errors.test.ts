// Bad inputs and bad plans become typed errors; nothing aborts the process.
import { describe, expect, it } from "vitest";

import { ErrorCodes, isTensorRTError } from "../src/index.js";
import type { ExecuteRequest } from "../src/index.js";
import { backendFor, fixtures, invalidPlan, MAJORS, plan, rejected, thrown } from "./helpers.js";

describe.each(MAJORS)("TensorRT %i emulator: bad input", (major) => {
  const backend = backendFor(major);
  const { memory } = backend;

  async function addContext() {
    const engine = await backend.deserialize(plan("add_dynamic"));
    const context = engine.createContext("static");
    const addresses = new Float64Array([memory.alloc(256 * 16), memory.alloc(256 * 16), memory.alloc(256 * 16)]);
    return { engine, context, addresses };
  }
  const shapes = (...s: number[][]) => new Float64Array(s.flatMap((d) => [d.length, ...d]));

  it("wrong number of addresses", async () => {
    const { context, addresses } = await addContext();
    const e = thrown(() => context.execute({ inputShapes: shapes([2, 4], [2, 4]), addresses: addresses.subarray(0, 2), stream: 0 }));
    // The problem, what was expected and what was found travel as fields, not only in the message.
    expect(e).toMatchObject({
      name: "InputError",
      code: ErrorCodes.Input,
      problem: "count",
      expected: "3 addresses, one per I/O tensor in io order (a, b, sum)",
      found: "2 entries",
      tensor: null,
    });
    expect(e.message).toBe("execute: expected 3 addresses, one per I/O tensor in io order (a, b, sum); found 2 entries");
  });

  it("wrong number of input shapes", async () => {
    const { context, addresses } = await addContext();
    expect(thrown(() => context.execute({ inputShapes: shapes([2, 4]), addresses, stream: 0 }))).toMatchObject({
      code: ErrorCodes.Input,
      problem: "count",
      tensor: "b",
      expected: "rank and dims for each of the 2 inputs, in io order",
      found: "inputShapes ends before input 'b'",
    });
    expect(
      thrown(() => context.execute({ inputShapes: shapes([2, 4], [2, 4], [1]), addresses, stream: 0 })),
    ).toMatchObject({ code: ErrorCodes.Input, problem: "count", expected: "6 values in inputShapes for 2 inputs", found: "8 values" });
  });

  it("wrong rank", async () => {
    const { context, addresses } = await addContext();
    const e = thrown(() => context.execute({ inputShapes: shapes([2, 4, 1], [2, 4]), addresses, stream: 0 }));
    expect(e).toMatchObject({ code: ErrorCodes.Input, problem: "rank", tensor: "a", expected: "rank 2 for input 'a' (the engine's)", found: "rank 3" });
  });

  it("dims outside the profile: TensorRTError with the logger's message", async () => {
    const { context, addresses } = await addContext();
    const e = thrown(() => context.execute({ inputShapes: shapes([9, 4], [9, 4]), addresses, stream: 0 }));
    expect(isTensorRTError(e)).toBe(true);
    expect(e).toMatchObject({ name: "TensorRTError", method: "IExecutionContext::setInputShape", tensor: "a" });
    expect(e.tensorrtMessage).toMatch(/a/);
    expect(e.message).toContain(e.tensorrtMessage as string);
    // The context is still usable with a good shape.
    context.execute({ inputShapes: shapes([8, 4], [8, 4]), addresses, stream: 0 });
  });

  it("static dims that differ from the engine", async () => {
    const engine = await backend.deserialize(plan("identity_f32"));
    const context = engine.createContext("static");
    const e = thrown(() => context.inferOutputShapes(shapes([3, 3])));
    expect(e).toMatchObject({ code: ErrorCodes.TensorRT, method: "IExecutionContext::setInputShape" });
  });

  it("dims that are not non-negative integers", async () => {
    const { context, addresses } = await addContext();
    for (const bad of [-1, 1.5, NaN, Infinity]) {
      const e = thrown(() => context.execute({ inputShapes: shapes([bad, 4], [2, 4]), addresses, stream: 0 }));
      expect(e).toMatchObject({ code: ErrorCodes.Input, problem: "shape", tensor: "a", expected: "dim 0 of input 'a': a non-negative integer" });
    }
  });

  it("request arrays of the wrong type, bad addresses, bad streams", async () => {
    const { context, addresses } = await addContext();
    const good: ExecuteRequest = { inputShapes: shapes([2, 4], [2, 4]), addresses, stream: 0 };
    const cases: unknown[] = [
      { ...good, inputShapes: new Float32Array(good.inputShapes) },
      { ...good, addresses: Array.from(addresses) },
      { ...good, addresses: new Float64Array([addresses[0] as number, -8, addresses[2] as number]) },
      { ...good, addresses: new Float64Array([addresses[0] as number, 0.5, addresses[2] as number]) },
      { ...good, stream: -1 },
      { ...good, stream: "0" },
      undefined,
      42,
    ];
    for (const request of cases) {
      const e = thrown(() => context.execute(request as ExecuteRequest));
      expect(e).toMatchObject({ name: "InputError", code: ErrorCodes.Input });
    }
    // The methods (defined in TypeScript over the binary's entry) name themselves; executeAsync rejects instead of throwing.
    expect(thrown(() => context.executeSync(42 as never))).toMatchObject({ code: ErrorCodes.Input, message: expect.stringMatching(/^executeSync: expected a request \{ inputShapes/) });
    await expect(context.executeAsync(undefined as never)).rejects.toMatchObject({ code: ErrorCodes.Input, message: expect.stringMatching(/^executeAsync: expected a request \{ inputShapes/) });
    const methods = Object.getOwnPropertyDescriptors(Object.getPrototypeOf(context) as object);
    expect(["execute", "executeSync", "executeAsync"].map((m) => [m, methods[m]?.enumerable, (methods[m]?.value as { name?: string } | undefined)?.name])).toEqual([
      ["execute", false, "execute"],
      ["executeSync", false, "executeSync"],
      ["executeAsync", false, "executeAsync"],
    ]);
  });

  it("an output with neither an address nor an output allocator", async () => {
    const { context, addresses } = await addContext();
    const e = thrown(() =>
      context.execute({ inputShapes: shapes([2, 4], [2, 4]), addresses: new Float64Array([addresses[0] as number, addresses[1] as number, 0]), stream: 0 }),
    );
    expect(e).toMatchObject({ code: ErrorCodes.Input, problem: "device", tensor: "sum", found: "address 0 and no output allocator" });
  });

  it("bad arguments elsewhere", async () => {
    const { engine, context } = await addContext();
    expect(thrown(() => engine.createContext("sometimes" as never))).toMatchObject({ code: ErrorCodes.Input });
    expect(thrown(() => context.setOptimizationProfile(5, 0))).toMatchObject({
      code: ErrorCodes.TensorRT,
      method: "IExecutionContext::setOptimizationProfileAsync",
    });
    expect(thrown(() => context.setOutputAllocator("a", { reallocate: () => 0, notifyShape: () => {} }))).toMatchObject({
      code: ErrorCodes.Input,
      problem: "name",
      tensor: "a",
      expected: "an output of this engine ('sum')",
    });
    expect(thrown(() => context.setOutputAllocator("sum", {} as never))).toMatchObject({ code: ErrorCodes.Input });
    expect(thrown(() => context.setProfiler(42 as never))).toMatchObject({ code: ErrorCodes.Input });
    expect(thrown(() => backend.setLogSink(() => {}, "loud" as never))).toMatchObject({ code: ErrorCodes.Input });
    expect([ErrorCodes.Input, ErrorCodes.Cuda]).toContain(thrown(() => memory.free(12345)).code);
    await expect(backend.deserialize("plan" as never)).rejects.toMatchObject({ problem: "argument", expected: "a TypedArray, Buffer, DataView or ArrayBuffer", found: "a string" });
    expect(thrown(() => new (engine.constructor as new () => unknown)())).toBeInstanceOf(TypeError);
  });

  it("methods called on the wrong kind of object are TypeErrors, not memory corruption", async () => {
    const { engine, context } = await addContext();
    const proto = (o: object) => Object.getPrototypeOf(o) as Record<string, (...args: unknown[]) => unknown>;
    expect(thrown(() => proto(engine).release?.call(context))).toBeInstanceOf(TypeError);
    expect(thrown(() => proto(context).execute?.call(engine, { inputShapes: new Float64Array(), addresses: new Float64Array(), stream: 0 }))).toBeInstanceOf(TypeError);
    expect(thrown(() => proto(memory).alloc?.call({}, 16))).toBeInstanceOf(TypeError);
    expect(thrown(() => proto(backend).setLogSink?.call(memory, null))).toBeInstanceOf(TypeError);
    expect(context.released).toBe(false);
  });

  it("every invalid plan rejects with a TensorRTError, and the message reaches the log sink first", async () => {
    const names = Object.keys(fixtures().invalid);
    expect(names.length).toBeGreaterThanOrEqual(5);
    for (const name of names) {
      const seen: string[] = [];
      backend.setLogSink((severity, message) => {
        if (severity === "error" || severity === "internal_error") seen.push(message);
      }, "error");
      const e = await rejected(backend.deserialize(invalidPlan(name)));
      expect(e, name).toMatchObject({ name: "TensorRTError", code: "TRT_TENSORRT_ERROR", method: "IRuntime::deserializeCudaEngine" });
      expect(typeof e.tensorrtMessage, name).toBe("string");
      // Delivered before the promise settled, not on some later tick.
      expect(seen, name).toContain(e.tensorrtMessage);
      const sync = thrown(() => backend.deserializeSync(invalidPlan(name)));
      expect(sync.tensorrtMessage).toBe(e.tensorrtMessage);
    }
    backend.setLogSink(null);
  });
});
