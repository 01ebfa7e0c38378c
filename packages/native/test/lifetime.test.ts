// release(), finalizers, keep-alive order, and exiting with live objects.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

import { describe, expect, it } from "vitest";

import { ErrorCodes, loadNative } from "../src/index.js";
import { backendFor, fixtures, libraryPath, MAJORS, plan, run, thrown } from "./helpers.js";

describe.each(MAJORS)("TensorRT %i emulator: lifetime", (major) => {
  const backend = backendFor(major);

  it("release() is idempotent and using a released object is TRT_RELEASED", async () => {
    const engine = await backend.deserialize(plan("identity_f32"));
    const context = engine.createContext("static");
    expect(engine.released).toBe(false);
    context.release();
    context.release();
    expect(context.released).toBe(true);
    const e = thrown(() => context.execute({ inputShapes: new Float64Array([2, 2, 3]), addresses: new Float64Array(2), stream: 0 }));
    expect(e).toMatchObject({ name: "ReleasedError", code: ErrorCodes.Released, method: "execute" });
    expect(e.message).toMatch(/ExecutionContext was released/);
    expect(thrown(() => context.optimizationProfile)).toMatchObject({ code: ErrorCodes.Released });
    await expect(context.executeAsync({ inputShapes: new Float64Array(), addresses: new Float64Array(), stream: 0 })).rejects.toMatchObject({
      code: ErrorCodes.Released,
    });

    engine.release();
    engine.release();
    expect(engine.released).toBe(true);
    expect(engine.info.name).toBe("identity_f32"); // the cached description stays readable
    for (const call of [() => engine.createContext("static"), () => engine.serialize(), () => engine.engineInformation(), () => engine.weightStreamingBudget]) {
      expect(thrown(call)).toMatchObject({ code: ErrorCodes.Released });
    }
  });

  it("a context keeps its engine alive after engine.release()", async () => {
    const engine = await backend.deserialize(plan("add_dynamic"));
    const context = engine.createContext("static");
    engine.release();
    const a = Float32Array.from([1, 2, 3, 4]);
    const out = run(backend, engine, context, { a: { shape: [1, 4], data: a }, b: { shape: [1, 4], data: a } });
    expect(Array.from(out.sum?.data as Float32Array)).toEqual([2, 4, 6, 8]);
    context.release();
  });

  it("contexts from a released ExecutionContext cannot be passed on", async () => {
    const engine = await backend.deserialize(plan("identity_f32"));
    const context = engine.createContext("static");
    context.release();
    expect(thrown(() => engine.engineInformation(context))).toMatchObject({ code: ErrorCodes.Released });
    expect(thrown(() => engine.engineInformation({} as never))).toMatchObject({ code: ErrorCodes.Input });
  });

  it("loadNative returns the same binding for the same options", () => {
    expect(loadNative({ nvinferPath: libraryPath(major) })).toBe(loadNative({ nvinferPath: libraryPath(major) }));
  });
});

// Each test starts a Node process that loads the addon (about 0.1-0.4 s alone); the bounds are for two busy cores.
const CHILD_TIMEOUT_MS = 90_000;
const CHILD_TEST_TIMEOUT_MS = 120_000;

describe("process and environment exit with live objects", () => {
  const script = fileURLToPath(new URL("./child/live-objects.mjs", import.meta.url));
  const addon = fileURLToPath(new URL("../build/Release/trt_native.node", import.meta.url));

  function runChild(mode: string, major: 10 | 11, execArgv: string[] = []) {
    const result = spawnSync(process.execPath, [...execArgv, script, mode], {
      env: { ...process.env, TRT_ADDON: addon, TRT_LIB: libraryPath(major), TRT_PLAN_DIR: fixtures().dir },
      encoding: "utf8",
      // Killed rather than left blocking the worker (spawnSync); the test then fails on its signal.
      timeout: CHILD_TIMEOUT_MS,
    });
    return { status: result.status, signal: result.signal, stderr: result.stderr, stdout: result.stdout };
  }

  it.each([
    ["natural", 10],
    ["natural", 11],
    ["exit", 10],
    ["exit", 11],
    ["exit-during-deserialize", 10],
    ["worker", 11],
  ] as const)("%s (TensorRT %i): exit code 0, nothing on stderr", (mode, major) => {
    const r = runChild(mode, major);
    expect(r.signal).toBeNull();
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
   }, CHILD_TEST_TIMEOUT_MS);

  it("finalizers under forced garbage collection never double-free", () => {
    const r = runChild("gc", 10, ["--expose-gc"]);
    expect(r.signal).toBeNull();
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
   }, CHILD_TEST_TIMEOUT_MS);
});
