import { describe, expect, it, vi } from "vitest";
import {
  CUDA_GRAPH_STRATEGIES,
  KERNEL_SPECIALIZATION_STRATEGIES,
  RuntimeCache,
  RuntimeSettings,
  SettingsError,
  isSettingsError,
  type RuntimeSettingsInit,
} from "../src/index.js";

function thrown(fn: () => unknown): SettingsError {
  try {
    fn();
  } catch (error) {
    if (error instanceof SettingsError) return error;
    throw error;
  }
  throw new Error("expected a SettingsError");
}

describe("RuntimeSettings", () => {
  it("defaults to disabled, lazy, no cache", () => {
    const s = new RuntimeSettings();
    expect(s.cudaGraphStrategy).toBe("disabled");
    expect(s.dynamicShapesKernelSpecializationStrategy).toBe("lazy");
    expect(s.runtimeCache).toBeNull();
    expect(s.equals(RuntimeSettings.DEFAULT)).toBe(true);
    expect(new RuntimeSettings({ cudaGraphStrategy: undefined }).equals(s)).toBe(true);
  });

  it("accepts every allowed value", () => {
    for (const cudaGraphStrategy of CUDA_GRAPH_STRATEGIES) {
      for (const dynamicShapesKernelSpecializationStrategy of KERNEL_SPECIALIZATION_STRATEGIES) {
        const s = new RuntimeSettings({ cudaGraphStrategy, dynamicShapesKernelSpecializationStrategy, runtimeCache: "c.bin" });
        expect([s.cudaGraphStrategy, s.dynamicShapesKernelSpecializationStrategy, s.runtimeCache]).toEqual([
          cudaGraphStrategy,
          dynamicShapesKernelSpecializationStrategy,
          "c.bin",
        ]);
      }
    }
  });

  it("is frozen", () => {
    const s = new RuntimeSettings();
    expect(Object.isFrozen(s)).toBe(true);
    expect(() => {
      (s as { cudaGraphStrategy: string }).cudaGraphStrategy = "whole_graph_capture";
    }).toThrow(TypeError);
    expect(Object.isFrozen(RuntimeSettings.DEFAULT)).toBe(true);
  });

  it("rejects a bad strategy with a typed error naming the allowed values", () => {
    const e = thrown(() => new RuntimeSettings({ cudaGraphStrategy: "always" as never }));
    expect(e.code).toBe("TRT_INVALID_SETTING");
    expect(e.setting).toBe("cudaGraphStrategy");
    expect(e.allowed).toEqual(["disabled", "whole_graph_capture"]);
    expect(e.message).toContain('"always"');
    expect(e.message).toContain('"disabled" or "whole_graph_capture"');
    expect(isSettingsError(e)).toBe(true);

    const k = thrown(() => new RuntimeSettings({ dynamicShapesKernelSpecializationStrategy: "later" as never }));
    expect(k.setting).toBe("dynamicShapesKernelSpecializationStrategy");
    expect(k.message).toContain('"lazy", "eager" or "none"');

    expect(thrown(() => new RuntimeSettings({ cudaGraphStrategy: null as never })).code).toBe("TRT_INVALID_SETTING");
  });

  it("rejects a bad runtimeCache", () => {
    for (const bad of ["", 42, {}, new Uint8Array(1)]) {
      const e = thrown(() => new RuntimeSettings({ runtimeCache: bad as never }));
      expect(e.code).toBe("TRT_INVALID_SETTING");
      expect(e.setting).toBe("runtimeCache");
    }
  });

  it("rejects unknown fields and non-objects", () => {
    const e = thrown(() => new RuntimeSettings({ cudaGraph: "disabled" } as RuntimeSettingsInit));
    expect(e.code).toBe("TRT_INVALID_SETTING");
    expect(e.setting).toBe("cudaGraph");
    expect(e.message).toContain("cudaGraphStrategy");
    expect(thrown(() => new RuntimeSettings("disabled" as never)).code).toBe("TRT_INVALID_SETTING");
  });

  it("with() returns a new validated value and leaves the original alone", () => {
    const s = new RuntimeSettings();
    const t = s.with({ cudaGraphStrategy: "whole_graph_capture" });
    expect(t).not.toBe(s);
    expect(t.cudaGraphStrategy).toBe("whole_graph_capture");
    expect(t.dynamicShapesKernelSpecializationStrategy).toBe("lazy");
    expect(s.cudaGraphStrategy).toBe("disabled");
    expect(Object.isFrozen(t)).toBe(true);
    expect(t.with({ runtimeCache: "a" }).with({ runtimeCache: null }).runtimeCache).toBeNull();
    expect(thrown(() => s.with({ cudaGraphStrategy: "x" as never })).code).toBe("TRT_INVALID_SETTING");
    expect(thrown(() => s.with({ bogus: 1 } as never)).setting).toBe("bogus");
  });

  it("with() returns the same value when nothing changes", () => {
    const s = new RuntimeSettings({ cudaGraphStrategy: "whole_graph_capture" });
    expect(s.with({})).toBe(s);
    expect(s.with({ cudaGraphStrategy: "whole_graph_capture", runtimeCache: undefined })).toBe(s);
  });

  it("compares structurally: strategies by value, paths as written, caches by identity", () => {
    const cache = new RuntimeCache("/tmp/never-read.bin");
    expect(new RuntimeSettings({ runtimeCache: "a" }).equals(new RuntimeSettings({ runtimeCache: "a" }))).toBe(true);
    expect(new RuntimeSettings({ runtimeCache: "a" }).equals(new RuntimeSettings({ runtimeCache: "./a" }))).toBe(false);
    expect(new RuntimeSettings({ runtimeCache: cache }).equals(new RuntimeSettings({ runtimeCache: cache }))).toBe(true);
    expect(new RuntimeSettings({ runtimeCache: cache }).equals(new RuntimeSettings({ runtimeCache: new RuntimeCache(cache.path) }))).toBe(false);
    expect(new RuntimeSettings().equals(new RuntimeSettings({ cudaGraphStrategy: "whole_graph_capture" }))).toBe(false);
    expect(new RuntimeSettings().equals({ ...RuntimeSettings.DEFAULT })).toBe(false);
    expect(new RuntimeSettings().equals(null)).toBe(false);
  });

  it("from() passes values through and builds from plain objects", () => {
    const s = new RuntimeSettings({ cudaGraphStrategy: "whole_graph_capture" });
    expect(RuntimeSettings.from(s)).toBe(s);
    expect(RuntimeSettings.from({ cudaGraphStrategy: "whole_graph_capture" }).equals(s)).toBe(true);
    expect(RuntimeSettings.from().equals(RuntimeSettings.DEFAULT)).toBe(true);
  });

  it("describes itself in one line", () => {
    expect(String(new RuntimeSettings({ runtimeCache: "c.bin" }))).toBe(
      'RuntimeSettings(cudaGraphStrategy=disabled, dynamicShapesKernelSpecializationStrategy=lazy, runtimeCache="c.bin")',
    );
  });

  it("recognises values from a second copy of the package with instanceof", async () => {
    vi.resetModules();
    const copy = await import("../src/index.js");
    expect(copy.RuntimeSettings).not.toBe(RuntimeSettings);
    const foreign = new copy.RuntimeSettings({ cudaGraphStrategy: "whole_graph_capture" });
    expect(foreign instanceof RuntimeSettings).toBe(true);
    expect(new RuntimeSettings({ cudaGraphStrategy: "whole_graph_capture" }).equals(foreign)).toBe(true);
    expect(new copy.RuntimeCache("x") instanceof RuntimeCache).toBe(true);
    expect(new RuntimeSettings({ runtimeCache: new copy.RuntimeCache("x") }).runtimeCache).toBeInstanceOf(RuntimeCache);
    expect({} instanceof RuntimeSettings).toBe(false);
  });
});
