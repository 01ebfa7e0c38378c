/**
 * Engine selection: the process default, TRT_RUNTIME, scopes (callback and
 * `using`) across awaits and concurrent tasks, "auto" with and without the
 * native addon, and the debug line that says what auto picked.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { emulatorLibraryPath } from "@trt/emulator";
import { afterEach, describe, expect, it } from "vitest";
import { TensorRTEnvironment } from "../src/environment/environment.js";
import { RuntimeUnavailableError } from "../src/errors/index.js";
import { TensorRTModule } from "../src/module/module.js";
import { createNativeLoader } from "../src/native/loader.js";
import { parseRuntimeKind, runtimeKindFromEnv } from "../src/selection/kind.js";
import { resolveRuntime } from "../src/environment/resolve-runtime.js";
import { getRuntime, setRuntime, useRuntime, withRuntime } from "../src/selection/scope.js";
import { BOTH, plan, values } from "./support/runtime.js";

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 1));
const savedEnv = process.env.TRT_RUNTIME;

afterEach(() => {
  if (savedEnv === undefined) delete process.env.TRT_RUNTIME;
  else process.env.TRT_RUNTIME = savedEnv;
  setRuntime(undefined);
});

describe("the process default", () => {
  it("is TRT_RUNTIME, else auto; setRuntime overrides; undefined goes back", () => {
    delete process.env.TRT_RUNTIME;
    setRuntime(undefined);
    expect(getRuntime()).toBe("auto");
    process.env.TRT_RUNTIME = "ffi";
    setRuntime(undefined);
    expect(getRuntime()).toBe("ffi");
    setRuntime("native");
    expect(getRuntime()).toBe("native");
    setRuntime(undefined);
    expect(getRuntime()).toBe("ffi");
  });

  it("accepts exactly native, ffi and auto (TRT_RUNTIME case-insensitively); refuses the rest saying what is allowed", () => {
    expect(runtimeKindFromEnv({ TRT_RUNTIME: " Native " })).toBe("native");
    expect(runtimeKindFromEnv({ TRT_RUNTIME: "" })).toBe("auto");
    expect(runtimeKindFromEnv({})).toBe("auto");
    expect(() => runtimeKindFromEnv({ TRT_RUNTIME: "gpu" })).toThrow(/"native", "ffi", "auto".*"gpu"/);
    expect(() => setRuntime("cuda" as never)).toThrow(RangeError);
    expect(() => parseRuntimeKind(3, "test")).toThrow(RangeError);
    process.env.TRT_RUNTIME = "bogus";
    setRuntime(undefined);
    expect(() => getRuntime()).toThrow(/TRT_RUNTIME/);
  });
});

describe("scopes", () => {
  it("withRuntime nests, restores, and holds across awaits", async () => {
    setRuntime("auto");
    await withRuntime("ffi", async () => {
      expect(getRuntime()).toBe("ffi");
      await tick();
      expect(getRuntime()).toBe("ffi");
      await withRuntime("native", async () => {
        await tick();
        expect(getRuntime()).toBe("native");
      });
      expect(getRuntime()).toBe("ffi");
    });
    expect(getRuntime()).toBe("auto");
  });

  it("concurrent tasks each keep their own scope", async () => {
    const seen: string[] = [];
    const task = (kind: "ffi" | "native", delay: number) =>
      withRuntime(kind, async () => {
        for (let i = 0; i < 3; i++) {
          await new Promise((r) => setTimeout(r, delay));
          seen.push(`${kind}:${getRuntime()}`);
        }
      });
    await Promise.all([task("ffi", 1), task("native", 2)]);
    expect(seen.every((s) => s.split(":")[0] === s.split(":")[1])).toBe(true);
    expect(seen).toHaveLength(6);
  });

  it("a scope that throws still restores", () => {
    setRuntime("native");
    expect(() =>
      withRuntime("ffi", () => {
        throw new Error("boom");
      }),
    ).toThrow("boom");
    expect(getRuntime()).toBe("native");
  });

  it("useRuntime: `using` blocks nest and restore", () => {
    setRuntime("auto");
    {
      using outer = useRuntime("ffi");
      expect(getRuntime()).toBe("ffi");
      {
        using _inner = useRuntime("native");
        expect(getRuntime()).toBe("native");
      }
      expect(getRuntime()).toBe("ffi");
      expect(outer.active).toBe(true);
    }
    expect(getRuntime()).toBe("auto");
  });

  it("useRuntime holds across awaits inside the block, and ends for the caller too when the block ends", async () => {
    setRuntime("auto");
    async function inner(): Promise<string> {
      using _scope = useRuntime("ffi"); // before the first await: the caveat case (see scope.ts)
      await tick();
      return getRuntime();
    }
    await withRuntime("native", async () => {
      const seenInside = await inner();
      expect(seenInside).toBe("ffi");
      // The scope closed when inner() returned: its frame leaked into this context, but is skipped once closed.
      expect(getRuntime()).toBe("native");
    });
    expect(getRuntime()).toBe("auto");
  });

  it("close() is idempotent and `active` reports it", () => {
    const scope = useRuntime("ffi");
    expect(scope.active).toBe(true);
    scope.close();
    scope.close();
    expect(scope.active).toBe(false);
    expect(getRuntime()).not.toBe("ffi");
  });
});

describe("auto, native and ffi against what is installed", () => {
  const withoutNative = new TensorRTEnvironment({ nvinferPath: emulatorLibraryPath(10), nativeLoader: null });

  it("without @trt/native: auto picks ffi and says why; native throws RuntimeUnavailableError", () => {
    expect(withoutNative.resolve("auto")).toMatchObject({ implementation: "ffi", reason: expect.stringContaining("not installed") });
    expect(withoutNative.resolve("ffi").implementation).toBe("ffi");
    const error = (() => {
      try {
        withoutNative.resolve("native");
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(RuntimeUnavailableError);
    expect(error).toMatchObject({ component: "native", code: "RUNTIME_UNAVAILABLE", reason: "@trt/native is not installed" });
    expect((error as Error).message).toMatch(/setRuntime\("ffi"\)/);
  });

  it("the real loader, for a package that is not there, reports it as not installed", () => {
    const environment = new TensorRTEnvironment({
      nvinferPath: emulatorLibraryPath(10),
      nativeLoader: createNativeLoader("@trt/native-that-is-not-installed"),
    });
    const availability = environment.nativeAvailability();
    expect(availability.available).toBe(false);
    if (!availability.available) expect(availability.error.reason).toBe("@trt/native-that-is-not-installed is not installed");
    expect(environment.resolve("auto").implementation).toBe("ffi");
  });

  it("an addon that is installed but has no binary: the addon's reason comes through", () => {
    const environment = new TensorRTEnvironment({ nvinferPath: emulatorLibraryPath(10), addonPath: "/nonexistent/trt_native.node" });
    const availability = environment.nativeAvailability();
    expect(availability.available).toBe(false);
    if (!availability.available) {
      expect(availability.error.reason).toMatch(/^binary-missing/);
      expect(availability.error.pathsTried.join(" ")).toContain("/nonexistent/trt_native.node");
    }
  });

  it("modules work with ffi alone; asking them for native rejects with the reason", async () => {
    const m = await TensorRTModule.fromEngine(plan("identity_f32"), { environment: withoutNative });
    expect(m.stats.implementations).toEqual(["ffi"]);
    using r = await m.run([new Float32Array([1, 2, 3, 4, 5, 6])]);
    expect(values(await r.list[0]!.toArray())).toEqual([1, 2, 3, 4, 5, 6]);
    await expect(withRuntime("native", () => m.run([new Float32Array(6)]))).rejects.toBeInstanceOf(RuntimeUnavailableError);
    await expect(withRuntime("native", () => TensorRTModule.fromEngine(plan("identity_f32"), { environment: withoutNative }))).rejects.toMatchObject({
      component: "native",
    });
    m.release();
  });

  it.runIf(BOTH)("with the addon: auto picks native", () => {
    const environment = new TensorRTEnvironment({ nvinferPath: emulatorLibraryPath(10) });
    expect(environment.resolve("auto")).toMatchObject({ implementation: "native", reason: expect.stringContaining("addon loaded") });
    expect(withRuntime("native", () => resolveRuntime(undefined, environment).implementation)).toBe("native");
  });

  // Up to two Node processes with tsx (under a second each alone), each killed after 55 s rather than
  // left blocking the worker (spawnSync): bounded for two busy cores.
  it("auto says on the trt debug channel which engine it picked and why", { timeout: 120_000 }, () => {
    const script = fileURLToPath(new URL("./fixtures/auto-debug.ts", import.meta.url));
    const runChild = (mode: string) =>
      spawnSync(process.execPath, ["--import", "tsx", script, mode], {
        encoding: "utf8",
        env: { ...process.env, NODE_DEBUG: "trt", TRT_RUNTIME: "" },
        timeout: 55_000,
      });
    const missing = runChild("without-native");
    expect(missing.stdout).toBe("ffi");
    expect(missing.stderr).toMatch(/TRT \d+: runtime auto: using ffi, because native is unavailable: @trt\/native is not installed/);
    if (BOTH) {
      const present = runChild("with-native");
      expect(present.stdout).toBe("native");
      expect(present.stderr).toMatch(/runtime auto: using native, because the native addon loaded/);
    }
  });
});
