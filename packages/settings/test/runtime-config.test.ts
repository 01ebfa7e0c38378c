import { describe, expect, it } from "vitest";
import {
  RuntimeSettings,
  SettingsError,
  SettingsScope,
  runtimeConfig,
  setCudaGraphStrategy,
  setDynamicShapesKernelStrategy,
} from "../src/index.js";
import { FakeModule, RTX } from "./support/fake-module.js";

const GRAPH = { cudaGraphStrategy: "whole_graph_capture" } as const;
const tick = () => new Promise((resolve) => setTimeout(resolve, 1));
const graph = (m: FakeModule) => m.runtimeSettings.cudaGraphStrategy;
const kernels = (m: FakeModule) => m.runtimeSettings.dynamicShapesKernelSpecializationStrategy;

describe("runtimeConfig, callback form", () => {
  it("applies inside, restores after, returns the callback's result", () => {
    const m = new FakeModule();
    const before = m.runtimeSettings;
    const result = runtimeConfig(m, GRAPH, (scope) => {
      expect(scope).toBeInstanceOf(SettingsScope);
      expect(graph(m)).toBe("whole_graph_capture");
      return 42;
    });
    expect(result).toBe(42);
    expect(m.runtimeSettings).toBe(before);
  });

  it("restores when the callback throws", () => {
    const m = new FakeModule();
    expect(() =>
      runtimeConfig(m, GRAPH, () => {
        throw new Error("boom");
      }),
    ).toThrow("boom");
    expect(graph(m)).toBe("disabled");
  });

  it("keeps the settings for the whole async callback and restores after it resolves", async () => {
    const m = new FakeModule();
    const pending = runtimeConfig(m, GRAPH, async () => {
      await tick();
      expect(graph(m)).toBe("whole_graph_capture");
      return "done";
    });
    expect(graph(m)).toBe("whole_graph_capture");
    await expect(pending).resolves.toBe("done");
    expect(graph(m)).toBe("disabled");
  });

  it("restores when the async callback rejects, and passes the rejection on", async () => {
    const m = new FakeModule();
    const failure = new Error("rejected");
    await expect(
      runtimeConfig(m, GRAPH, async () => {
        await tick();
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(graph(m)).toBe("disabled");
  });

  it("rejects a callback that is not a function before touching anything", () => {
    const m = new FakeModule();
    expect(() => runtimeConfig(m, GRAPH, 42 as never)).toThrow(TypeError);
    expect(m.setterCalls).toBe(0);
  });
});

describe("runtimeConfig, disposable form", () => {
  it("applies until the end of the using block", () => {
    const m = new FakeModule();
    {
      using scope = runtimeConfig(m, GRAPH);
      expect(scope.active).toBe(true);
      expect(graph(m)).toBe("whole_graph_capture");
    }
    expect(graph(m)).toBe("disabled");
  });

  it("restores when the block throws", () => {
    const m = new FakeModule();
    expect(() => {
      using _scope = runtimeConfig(m, GRAPH);
      throw new Error("boom");
    }).toThrow("boom");
    expect(graph(m)).toBe("disabled");
  });

  it("restores when an async block rejects (await using)", async () => {
    const m = new FakeModule();
    const body = async () => {
      await using _scope = runtimeConfig(m, GRAPH);
      await tick();
      expect(graph(m)).toBe("whole_graph_capture");
      throw new Error("late");
    };
    await expect(body()).rejects.toThrow("late");
    expect(graph(m)).toBe("disabled");
  });

  it("close() ends it; closing twice does nothing", () => {
    const m = new FakeModule();
    const scope = runtimeConfig(m, GRAPH);
    scope.close();
    expect(scope.active).toBe(false);
    m.runtimeSettings = m.runtimeSettings.with(GRAPH);
    scope.close();
    expect(graph(m)).toBe("whole_graph_capture");
  });
});

describe("several targets", () => {
  it("overrides each target on top of its own settings and restores each", () => {
    const a = new FakeModule({ capabilities: RTX, settings: new RuntimeSettings({ dynamicShapesKernelSpecializationStrategy: "eager" }) });
    const b = new FakeModule({ capabilities: RTX, settings: new RuntimeSettings({ dynamicShapesKernelSpecializationStrategy: "none" }) });
    const before = [a.runtimeSettings, b.runtimeSettings];
    setCudaGraphStrategy([a, b], "whole_graph_capture", (scope) => {
      expect(scope.targets).toEqual([a, b]);
      expect([graph(a), kernels(a)]).toEqual(["whole_graph_capture", "eager"]);
      expect([graph(b), kernels(b)]).toEqual(["whole_graph_capture", "none"]);
    });
    expect([a.runtimeSettings, b.runtimeSettings]).toEqual(before);
    expect([a.contextRecreations, b.contextRecreations]).toEqual([2, 2]);
  });

  it("changes a target listed twice once", () => {
    const m = new FakeModule();
    runtimeConfig([m, m], GRAPH, (scope) => {
      expect(scope.targets).toEqual([m]);
    });
    expect(m.setterCalls).toBe(2);
  });

  it("validates the overrides before touching any target", () => {
    const a = new FakeModule();
    expect(() => runtimeConfig([a], { cudaGraphStrategy: "sometimes" as never })).toThrow(SettingsError);
    expect(a.setterCalls).toBe(0);
  });

  it("puts back the targets already changed when a later target's setter fails", () => {
    const a = new FakeModule();
    const b = new FakeModule({ failOnSet: true });
    expect(() => runtimeConfig([a, b], GRAPH)).toThrow("setter failed");
    expect(graph(a)).toBe("disabled");
    expect(a.contextRecreations).toBe(2);
  });

  it("restores every target even if one setter fails on the way out, then reports it", () => {
    const a = new FakeModule();
    const b = new FakeModule();
    const scope = runtimeConfig([a, b], GRAPH);
    b.failOnSet = true;
    expect(() => scope.close()).toThrow("setter failed");
    expect(graph(a)).toBe("disabled");
    expect(scope.active).toBe(false);
  });
});

describe("nesting and overlap", () => {
  it("nested scopes restore to exactly what was there before each", () => {
    const m = new FakeModule({ capabilities: RTX });
    const original = m.runtimeSettings;
    runtimeConfig(m, GRAPH, () => {
      const outer = m.runtimeSettings;
      setDynamicShapesKernelStrategy(m, "eager", () => {
        expect([graph(m), kernels(m)]).toEqual(["whole_graph_capture", "eager"]);
        setCudaGraphStrategy(m, "disabled", () => {
          expect([graph(m), kernels(m)]).toEqual(["disabled", "eager"]);
        });
        expect([graph(m), kernels(m)]).toEqual(["whole_graph_capture", "eager"]);
      });
      expect(m.runtimeSettings).toBe(outer);
    });
    expect(m.runtimeSettings).toBe(original);
  });

  it("nested using blocks restore in reverse order", () => {
    const m = new FakeModule({ capabilities: RTX });
    {
      using _outer = setCudaGraphStrategy(m, "whole_graph_capture");
      {
        using _inner = setDynamicShapesKernelStrategy(m, "none");
        expect(kernels(m)).toBe("none");
      }
      expect([graph(m), kernels(m)]).toEqual(["whole_graph_capture", "lazy"]);
    }
    expect(m.runtimeSettings.equals(RuntimeSettings.DEFAULT)).toBe(true);
  });

  it("a scope ending before a newer one on the same target hands its prior value on", () => {
    const m = new FakeModule({ capabilities: RTX });
    const original = m.runtimeSettings;
    const older = setCudaGraphStrategy(m, "whole_graph_capture");
    const newer = setDynamicShapesKernelStrategy(m, "eager");
    const newest = m.runtimeSettings;
    older.close();
    // The newer scope is still open: its value stays in effect.
    expect(m.runtimeSettings).toBe(newest);
    newer.close();
    expect(m.runtimeSettings).toBe(original);
  });

  it("overlapping scopes on different target sets restore every target, in either order", () => {
    for (const order of ["first-opened first", "last-opened first"] as const) {
      const [m1, m2, m3] = [new FakeModule({ capabilities: RTX }), new FakeModule({ capabilities: RTX }), new FakeModule({ capabilities: RTX })];
      const a = setCudaGraphStrategy([m1, m2], "whole_graph_capture");
      const b = setDynamicShapesKernelStrategy([m2, m3], "none");
      expect([graph(m1), graph(m2), graph(m3)]).toEqual(["whole_graph_capture", "whole_graph_capture", "disabled"]);
      expect([kernels(m1), kernels(m2), kernels(m3)]).toEqual(["lazy", "none", "none"]);
      if (order === "first-opened first") {
        a.close();
        expect(graph(m1)).toBe("disabled");
        expect([graph(m2), kernels(m2)]).toEqual(["whole_graph_capture", "none"]);
        b.close();
      } else {
        b.close();
        expect([graph(m2), kernels(m2)]).toEqual(["whole_graph_capture", "lazy"]);
        expect(kernels(m3)).toBe("lazy");
        a.close();
      }
      for (const m of [m1, m2, m3]) expect(m.runtimeSettings.equals(RuntimeSettings.DEFAULT)).toBe(true);
    }
  });

  it("concurrent async scopes on one module restore it once both are done", async () => {
    const m = new FakeModule({ capabilities: RTX });
    const slow = setCudaGraphStrategy(m, "whole_graph_capture", async () => {
      await tick();
      await tick();
    });
    const fast = setDynamicShapesKernelStrategy(m, "eager", async () => {
      await tick();
    });
    await Promise.all([slow, fast]);
    expect(m.runtimeSettings.equals(RuntimeSettings.DEFAULT)).toBe(true);
  });

  it("a change made directly inside a scope is undone when the scope ends", () => {
    const m = new FakeModule();
    runtimeConfig(m, GRAPH, () => {
      m.runtimeSettings = m.runtimeSettings.with({ cudaGraphStrategy: "disabled" });
    });
    expect(m.runtimeSettings.equals(RuntimeSettings.DEFAULT)).toBe(true);
  });
});

describe("strategy shorthands", () => {
  it("setCudaGraphStrategy in both forms", async () => {
    const m = new FakeModule();
    expect(setCudaGraphStrategy(m, "whole_graph_capture", () => graph(m))).toBe("whole_graph_capture");
    await expect(setCudaGraphStrategy(m, "whole_graph_capture", async () => graph(m))).resolves.toBe("whole_graph_capture");
    {
      using _scope = setCudaGraphStrategy(m, "whole_graph_capture");
      expect(graph(m)).toBe("whole_graph_capture");
    }
    expect(graph(m)).toBe("disabled");
    expect(() => setCudaGraphStrategy(m, "on" as never)).toThrow(SettingsError);
  });

  it("setDynamicShapesKernelStrategy in both forms, with restore on throw and on rejection", async () => {
    const m = new FakeModule({ capabilities: RTX });
    expect(() =>
      setDynamicShapesKernelStrategy(m, "eager", () => {
        throw new Error("sync");
      }),
    ).toThrow("sync");
    await expect(
      setDynamicShapesKernelStrategy(m, "none", async () => {
        throw new Error("async");
      }),
    ).rejects.toThrow("async");
    expect(() => {
      using _scope = setDynamicShapesKernelStrategy(m, "eager");
      expect(kernels(m)).toBe("eager");
      throw new Error("using");
    }).toThrow("using");
    expect(kernels(m)).toBe("lazy");
  });
});
