/**
 * native against ffi: the same bytes in, the same bytes out, on every
 * fixture and both TensorRT majors; a module saved by one loads in the other
 * and saves byte-identically; one module holds one engine per implementation.
 * Skipped (with the reason printed by support/runtime.ts) where the native
 * addon does not load.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FIXTURES } from "@trt/emulator";
import { afterAll, describe, expect, it } from "vitest";
import type { EngineImplementation } from "../src/engine/contract.js";
import { InputError, TensorRTCallError } from "../src/errors/index.js";
import { TensorRTModule } from "../src/module/module.js";
import type { RunResult } from "../src/module/result.js";
import { withRuntime } from "../src/selection/scope.js";
import { BOTH, COMMON_FIXTURES, environmentFor, fixtureInputs, MAJORS, plan } from "./support/runtime.js";
import type { Major } from "./support/runtime.js";

/** Every output as shape + raw bytes, for exact comparison. */
async function snapshot(result: RunResult): Promise<Record<string, { shape: readonly number[]; bytes: number[] }>> {
  const out: Record<string, { shape: readonly number[]; bytes: number[] }> = {};
  for (const name of result.names) {
    const t = result.get(name);
    const raw = await t.toArray({ raw: true });
    out[name] = { shape: t.shape, bytes: Array.from(new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength)) };
  }
  return out;
}

describe.runIf(BOTH)("native and ffi agree", () => {
  const modules: TensorRTModule[] = [];
  const dir = mkdtempSync(join(tmpdir(), "trt-cross-"));
  afterAll(() => {
    modules.forEach((m) => m.release());
    rmSync(dir, { recursive: true, force: true });
  });

  describe.each(MAJORS)("TensorRT %i emulator", (major: Major) => {
    const environment = environmentFor(major);
    const fixtures = major === 11 ? [...COMMON_FIXTURES, "trt11_only"] : COMMON_FIXTURES;

    it.each(fixtures)("%s: identical outputs", async (name) => {
      const m = await TensorRTModule.fromEngine(plan(name), { environment });
      modules.push(m);
      const batches = FIXTURES[name]!.inputs.some((i) => i.shape.includes(-1)) ? [1, 3] : [1];
      for (const batch of batches) {
        const inputs = fixtureInputs(name, batch);
        const results: Partial<Record<EngineImplementation, unknown>> = {};
        for (const impl of ["native", "ffi"] as const) {
          using r = await withRuntime(impl, () => m.run(inputs));
          results[impl] = await snapshot(r);
        }
        expect(results.native).toEqual(results.ffi);
      }
      expect(m.stats.enginesCreated).toBe(2);
    });
  });

  it("add_dynamic's second profile gives identical outputs", async () => {
    const m = await TensorRTModule.fromEngine(plan("add_dynamic"), { environment: environmentFor(10) });
    modules.push(m);
    const inputs = fixtureInputs("add_dynamic", 33);
    using a = await withRuntime("native", () => m.run(inputs));
    using b = await withRuntime("ffi", () => m.run(inputs));
    expect(await snapshot(a)).toEqual(await snapshot(b));
  });

  it("save from one, load in the other, byte-identical re-save", async () => {
    for (const [first, second] of [["native", "ffi"], ["ffi", "native"]] as const) {
      const environment = environmentFor(10);
      const original = await withRuntime(first, () => TensorRTModule.fromEngine(plan("mlp3"), { environment, name: "mlp" }));
      const a = join(dir, `${first}.trtengine`);
      await original.save(a);
      const reloaded = await withRuntime(second, () => TensorRTModule.load(a, { environment }));
      expect(reloaded.stats.implementations).toEqual([second]);
      const b = join(dir, `${first}-${second}.trtengine`);
      await reloaded.save(b);
      expect(Buffer.compare(readFileSync(a), readFileSync(b))).toBe(0);
      // Same bytes as toTuple, and the engine slot is the plan itself.
      expect(reloaded.toTuple()).toEqual(original.toTuple());
      expect(Buffer.from(reloaded.toSerializedEngine().engine).equals(Buffer.from(plan("mlp3")))).toBe(true);
      original.release();
      reloaded.release();
    }
  });

  it("one module: engines made lazily from the same bytes, released together", async () => {
    const m = await withRuntime("ffi", () => TensorRTModule.fromEngine(plan("identity_f32"), { environment: environmentFor(10) }));
    expect(m.stats).toMatchObject({ enginesCreated: 1, implementations: ["ffi"], contextsCreated: 0 });
    for (const impl of ["ffi", "native", "ffi", "native"] as const) {
      using _r = await withRuntime(impl, () => m.run([new Float32Array(6)]));
    }
    expect(m.stats).toMatchObject({ enginesCreated: 2, implementations: ["ffi", "native"], contextsCreated: 2, runs: 4 });
    m.release();
    expect(m.stats.implementations).toEqual([]);
  });

  it("the same errors from both: input validation, and TensorRT's own refusal", async () => {
    const m = await TensorRTModule.fromEngine(plan("add_dynamic"), { environment: environmentFor(10) });
    modules.push(m);
    const errors: Record<string, [string, string][]> = {};
    for (const impl of ["native", "ffi"] as const) {
      const bad = [
        { a: { data: new Float32Array(40), shape: [10, 4] }, b: { data: new Float32Array(40), shape: [10, 4] } },
        { a: { data: new Float32Array(8), shape: [2, 4] }, b: { data: new Float32Array(12), shape: [3, 4] } },
      ];
      errors[impl] = [];
      for (const inputs of bad) {
        const error = await withRuntime(impl, () => m.run(inputs)).catch((e: unknown) => e);
        errors[impl]!.push([(error as Error).constructor.name, (error as Error).message]);
      }
    }
    expect(errors.native).toEqual(errors.ffi);
    expect(errors.ffi![0]![0]).toBe(InputError.name);
    expect(errors.ffi![1]![0]).toBe(TensorRTCallError.name);
  });
});
