/**
 * The scoped helpers of @trt/settings on real modules: every helper in its
 * callback and disposable forms, restoring when the scope ends, also by a
 * throw or a rejection; lists of modules; nesting and out-of-order ends;
 * scopes that change nothing touch nothing. Context counts show what each
 * scope costs: a kernel-strategy scope re-creates contexts once on entry and
 * once on exit, a CUDA-graph scope never. (runtimeCache() scopes are in
 * runtime-cache.test.ts, with the files they save.)
 */
import { runtimeConfig, setCudaGraphStrategy, setDynamicShapesKernelStrategy } from "@trt/settings";
import type { RuntimeSettings, SettingsScope } from "@trt/settings";
import { afterEach, describe, expect, it } from "vitest";
import type { TensorRTEnvironment } from "../src/environment/environment.js";
import { TensorRTModule } from "../src/module/module.js";
import { environmentFor, plan, presentedAs } from "./support/runtime.js";
import { codes, collectWarnings } from "./support/warnings.js";

const warnings = collectWarnings();
const modules: TensorRTModule[] = [];
afterEach(() => modules.splice(0).forEach((m) => m.release()));
const input = [new Float32Array(6)];
const boom = new Error("boom");

/** A module whose setter calls are counted (a wrapper around the class's own accessor). */
async function make(environment: TensorRTEnvironment = environmentFor(10)): Promise<TensorRTModule & { sets: number }> {
  const m = Object.assign(await TensorRTModule.fromEngine(plan("identity_f32"), { environment }), { sets: 0 });
  const accessor = Object.getOwnPropertyDescriptor(TensorRTModule.prototype, "runtimeSettings")!;
  Object.defineProperty(m, "runtimeSettings", {
    get: () => accessor.get!.call(m) as RuntimeSettings,
    set: (value: RuntimeSettings) => {
      m.sets++;
      accessor.set!.call(m, value);
    },
  });
  modules.push(m);
  return m;
}

const graphs = (m: TensorRTModule) => m.runtimeSettings.cudaGraphStrategy;
const kernels = (m: TensorRTModule) => m.runtimeSettings.dynamicShapesKernelSpecializationStrategy;

describe("scoped settings on real modules", () => {
  it("runtimeConfig, callback form: applies while fn runs; restores on return, throw and rejection", async () => {
    const m = await make();
    const result = runtimeConfig(m, { cudaGraphStrategy: "whole_graph_capture" }, (scope) => {
      expect(scope.targets).toEqual([m]);
      expect(graphs(m)).toBe("whole_graph_capture");
      m.runSync(input).dispose();
      return 42;
    });
    expect(result).toBe(42);
    expect(graphs(m)).toBe("disabled");
    const out = await runtimeConfig(m, { cudaGraphStrategy: "whole_graph_capture" }, async () => {
      const r = await m.run(input);
      expect(graphs(m)).toBe("whole_graph_capture");
      return r;
    });
    out.dispose();
    expect(graphs(m)).toBe("disabled");
    expect(() =>
      runtimeConfig(m, { cudaGraphStrategy: "whole_graph_capture" }, () => {
        throw boom;
      }),
    ).toThrow(boom);
    expect(graphs(m)).toBe("disabled");
    await expect(
      runtimeConfig(m, { cudaGraphStrategy: "whole_graph_capture" }, async () => {
        (await m.run(input)).dispose();
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(graphs(m)).toBe("disabled");
    expect(m.sets).toBe(8);
  });

  it("runtimeConfig, disposable form: `using` restores at the end of the block, also when it throws; close() twice is harmless", async () => {
    const m = await make();
    {
      using scope = runtimeConfig(m, { cudaGraphStrategy: "whole_graph_capture" });
      expect(scope.active).toBe(true);
      (await m.run(input)).dispose();
      expect(graphs(m)).toBe("whole_graph_capture");
    }
    expect(graphs(m)).toBe("disabled");
    const throwing = async () => {
      using _scope = runtimeConfig(m, { cudaGraphStrategy: "whole_graph_capture" });
      (await m.run(input)).dispose();
      throw boom;
    };
    await expect(throwing()).rejects.toBe(boom);
    expect(graphs(m)).toBe("disabled");
    const scope = runtimeConfig(m, { cudaGraphStrategy: "whole_graph_capture" });
    scope.close();
    scope.close();
    expect(scope.active).toBe(false);
    expect(graphs(m)).toBe("disabled");
    expect(m.sets).toBe(6);
  });

  it("setCudaGraphStrategy in both forms, restoring on throw, re-creates no context", async () => {
    const m = await make();
    (await m.run(input)).dispose();
    const contexts = m.stats.contextsCreated;
    await setCudaGraphStrategy(m, "whole_graph_capture", async () => {
      expect(graphs(m)).toBe("whole_graph_capture");
      (await m.run(input)).dispose();
    });
    {
      using _scope = setCudaGraphStrategy(m, "whole_graph_capture");
      m.runSync(input).dispose();
      expect(graphs(m)).toBe("whole_graph_capture");
    }
    expect(() =>
      setCudaGraphStrategy(m, "whole_graph_capture", () => {
        throw boom;
      }),
    ).toThrow(boom);
    expect(() => {
      using _scope = setCudaGraphStrategy(m, "whole_graph_capture");
      throw boom;
    }).toThrow(boom);
    expect(graphs(m)).toBe("disabled");
    (await m.run(input)).dispose();
    expect(m.stats.contextsCreated).toBe(contexts);
  });

  it("setDynamicShapesKernelStrategy in both forms on TensorRT-RTX: contexts re-created once on entry and once on exit; restored on throw", async () => {
    const m = await make(presentedAs("rtx"));
    (await m.run(input)).dispose();
    const contexts = m.stats.contextsCreated;
    await setDynamicShapesKernelStrategy(m, "eager", async () => {
      expect(kernels(m)).toBe("eager");
      for (let i = 0; i < 3; i++) (await m.run(input)).dispose();
    });
    expect(kernels(m)).toBe("lazy");
    (await m.run(input)).dispose();
    expect(m.stats.contextsCreated).toBe(contexts + 2);
    {
      using _scope = setDynamicShapesKernelStrategy(m, "none");
      m.runSync(input).dispose();
      expect(kernels(m)).toBe("none");
    }
    expect(() =>
      setDynamicShapesKernelStrategy(m, "eager", () => {
        throw boom;
      }),
    ).toThrow(boom);
    await expect(
      (async () => {
        using _scope = setDynamicShapesKernelStrategy(m, "eager");
        (await m.run(input)).dispose();
        throw boom;
      })(),
    ).rejects.toBe(boom);
    expect(kernels(m)).toBe("lazy");
    expect(warnings).toEqual([]);
  });

  it("setDynamicShapesKernelStrategy where TensorRT cannot honour it: warns once, never calls the setter, re-creates nothing", async () => {
    const [a, b] = [await make(presentedAs("standard")), await make()];
    for (const m of [a, b]) (await m.run(input)).dispose();
    await setDynamicShapesKernelStrategy([a, b], "eager", async () => {
      expect(kernels(a)).toBe("lazy");
      (await a.run(input)).dispose();
    });
    {
      using _scope = setDynamicShapesKernelStrategy(b, "none");
      expect(kernels(b)).toBe("lazy");
    }
    expect(a.sets + b.sets).toBe(0);
    expect(a.stats.contextsCreated + b.stats.contextsCreated).toBe(2);
    expect(codes(warnings)).toEqual(["TRT_UNSUPPORTED_KERNEL_SPECIALIZATION"]);
  });

  it("a list of modules: each gets the override on top of its own settings and its own value back; a module listed twice is changed once", async () => {
    const [a, b] = [await make(presentedAs("rtx")), await make(presentedAs("rtx"))];
    b.runtimeSettings = b.runtimeSettings.with({ dynamicShapesKernelSpecializationStrategy: "none" });
    b.sets = 0;
    await runtimeConfig([a, b, a], { cudaGraphStrategy: "whole_graph_capture" }, async (scope) => {
      expect(scope.targets).toEqual([a, b]);
      expect([graphs(a), graphs(b)]).toEqual(["whole_graph_capture", "whole_graph_capture"]);
      expect([kernels(a), kernels(b)]).toEqual(["lazy", "none"]);
      await Promise.all([a.run(input), b.run(input)]).then((rs) => rs.forEach((r) => r.dispose()));
    });
    expect([graphs(a), graphs(b)]).toEqual(["disabled", "disabled"]);
    expect([kernels(a), kernels(b)]).toEqual(["lazy", "none"]);
    expect([a.sets, b.sets]).toEqual([2, 2]);
    // An invalid target anywhere in the list: refused before any module is touched.
    expect(() => runtimeConfig([a, {} as never], { cudaGraphStrategy: "whole_graph_capture" })).toThrow(expect.objectContaining({ code: "TRT_INVALID_TARGET" }));
    expect(a.sets).toBe(2);
  });

  it("nesting: an inner scope restores the outer value; scopes ended out of order still leave each module as it was", async () => {
    const [a, b] = [await make(presentedAs("rtx")), await make(presentedAs("rtx"))];
    await setCudaGraphStrategy(a, "whole_graph_capture", async () => {
      await setDynamicShapesKernelStrategy([a, b], "eager", async () => {
        expect([graphs(a), kernels(a), kernels(b)]).toEqual(["whole_graph_capture", "eager", "eager"]);
        await setCudaGraphStrategy(a, "disabled", () => expect(graphs(a)).toBe("disabled"));
        expect(graphs(a)).toBe("whole_graph_capture");
      });
      expect([kernels(a), kernels(b)]).toEqual(["lazy", "lazy"]);
    });
    expect(graphs(a)).toBe("disabled");
    // Out of order: the older scope ends first and hands its prior value to the newer one.
    const outer: SettingsScope = runtimeConfig([a, b], { dynamicShapesKernelSpecializationStrategy: "none" });
    const inner = runtimeConfig([b], { dynamicShapesKernelSpecializationStrategy: "eager" });
    outer.close();
    expect([kernels(a), kernels(b)]).toEqual(["lazy", "eager"]);
    inner.close();
    expect([kernels(a), kernels(b)]).toEqual(["lazy", "lazy"]);
  });

  it("a scope asking for what a module already has never calls its setter, so no context is made again", async () => {
    const m = await make(presentedAs("rtx"));
    (await m.run(input)).dispose();
    await runtimeConfig(m, { cudaGraphStrategy: "disabled", dynamicShapesKernelSpecializationStrategy: "lazy" }, async () => {
      (await m.run(input)).dispose();
    });
    {
      using _a = setCudaGraphStrategy(m, "disabled");
      using _b = setDynamicShapesKernelStrategy(m, "lazy");
      using _c = runtimeConfig(m, { runtimeCache: null });
    }
    expect(m.sets).toBe(0);
    expect(m.stats.contextsCreated).toBe(1);
  });
});
