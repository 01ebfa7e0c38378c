/**
 * What the module-level tests share: one TensorRTEnvironment per emulator
 * major (each loads that emulator for both engines), the engine
 * implementations this machine can run (native only when its addon loads:
 * the reason is printed when it does not), and fixture input data.
 */
import { FIXTURES, seededValues } from "@trt/emulator";
import { STANDARD_TENSORRT_CAPABILITIES, TENSORRT_RTX_CAPABILITIES } from "@trt/settings";
import type { PlanDescription } from "@trt/emulator";
import { emulatorLibraryPath, emulatorTestPluginLibraryPath } from "@trt/emulator";
import type { EngineImplementation } from "../../src/engine/contract.js";
import { TensorRTEnvironment } from "../../src/environment/environment.js";
import type { HostArray } from "../../src/tensor/host-array.js";
import type { HostInput } from "../../src/validation/inputs.js";
import { afterAll } from "vitest";
import { TensorRTModule } from "../../src/module/module.js";
import type { ModuleOptions } from "../../src/module/module.js";
import { withRuntime } from "../../src/selection/scope.js";
import { plan as planOf } from "./emulator.js";
import type { Major } from "./emulator.js";

export { MAJORS, plan } from "./emulator.js";
export type { Major } from "./emulator.js";

const environments = new Map<Major, TensorRTEnvironment>();

/**
 * The environment over the emulator of `major` (shared per test worker, as a
 * process would share one), with the emulator's test plugin library, so
 * every fixture loads (plugin_custom needs its creator).
 */
export function environmentFor(major: Major = 10): TensorRTEnvironment {
  let env = environments.get(major);
  if (!env) {
    const plugins = [emulatorTestPluginLibraryPath("test", major)];
    environments.set(major, (env = new TensorRTEnvironment({ nvinferPath: emulatorLibraryPath(major), allowEngineHostCode: true, plugins })));
  }
  return env;
}

const presented = new Map<string, TensorRTEnvironment>();

/**
 * The emulator of `major`, presented as TensorRT-RTX (it honours both
 * RTX-only settings) or as standard TensorRT (neither), whatever the
 * library itself offers. By default the emulator offers the runtime cache
 * only (see src/cache).
 */
export function presentedAs(kind: "rtx" | "standard", major: Major = 10): TensorRTEnvironment {
  const key = `${kind}${major}`;
  let env = presented.get(key);
  if (!env) {
    const capabilities = kind === "rtx" ? TENSORRT_RTX_CAPABILITIES : STANDARD_TENSORRT_CAPABILITIES;
    presented.set(key, (env = new TensorRTEnvironment({ nvinferPath: emulatorLibraryPath(major), allowEngineHostCode: true, capabilities })));
  }
  return env;
}

function availableImplementations(): EngineImplementation[] {
  const native = environmentFor(10).nativeAvailability();
  if (native.available) return ["native", "ffi"];
  console.log(`[runtime tests] native engine skipped: ${native.error.reason}`);
  return ["ffi"];
}

/** The implementations to parameterize over: ffi always, native when its addon loads here. */
export const IMPLEMENTATIONS: readonly EngineImplementation[] = availableImplementations();

/** Whether both implementations run here (the cross-implementation comparisons need both). */
export const BOTH = IMPLEMENTATIONS.length === 2;

/** Host data for one input: seeded values of the right array type for its dtype. */
export function inputData(dtype: string, shape: readonly number[], seed: number): HostArray {
  const n = shape.reduce((a, b) => a * b, 1);
  const values = seededValues(seed, n, -4, 4);
  switch (dtype) {
    case "float32":
    case "float16":
    case "bfloat16":
      return Float32Array.from(values);
    case "int8":
      return Int8Array.from(values, (v) => Math.round(v * 20));
    case "uint8":
      return Uint8Array.from(values, (v) => Math.round((v + 4) * 20));
    case "bool":
      return Uint8Array.from(values, (v) => (v > 0 ? 1 : 0));
    case "int32":
      return Int32Array.from(values, (v) => Math.round(v * 1000));
    case "int64":
      return BigInt64Array.from(values, (v) => BigInt(Math.round(v * 1e6)));
    default:
      throw new Error(`no test data for ${dtype}`);
  }
}

/** Inputs for a fixture: every dynamic dim set to `batch`, data seeded per input. */
export function fixtureInputs(name: string, batch = 2): Record<string, HostInput> {
  const description: PlanDescription = FIXTURES[name]!;
  return Object.fromEntries(
    description.inputs.map((input, i) => {
      const shape = input.shape.map((d) => (d === -1 ? batch : d));
      return [input.name, { data: inputData(input.dtype, shape, 100 + i), shape }];
    }),
  );
}

/** Fixtures every implementation runs on every major (trt11_only is major-specific). */
export const COMMON_FIXTURES = Object.keys(FIXTURES).filter((n) => n !== "trt11_only");

/** Any tensor read as plain numbers (int64 too), for comparisons. */
export function values(data: ArrayLike<number | bigint>): number[] {
  return Array.from(data, Number);
}

/**
 * Makes modules from fixture plans on one implementation and environment,
 * and releases every one it made after the suite (call inside a describe).
 */
export function moduleFactory(impl: EngineImplementation, environment: TensorRTEnvironment) {
  const modules: TensorRTModule[] = [];
  afterAll(() => modules.forEach((m) => m.release()));
  return (name: string, options: ModuleOptions = {}): Promise<TensorRTModule> =>
    withRuntime(impl, async () => {
      const m = await TensorRTModule.fromEngine(planOf(name), { environment, ...options });
      modules.push(m);
      return m;
    });
}
