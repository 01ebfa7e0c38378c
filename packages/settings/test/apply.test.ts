import { describe, expect, it } from "vitest";
import { RuntimeSettings, SettingsError, applyRuntimeSettings, runtimeConfig, setCudaGraphStrategy } from "../src/index.js";
import { toTargetList } from "../src/target.js";
import { FakeModule, RTX } from "./support/fake-module.js";

describe("applying settings to a target", () => {
  it("does not call the setter when the value is structurally equal", () => {
    const m = new FakeModule();
    expect(applyRuntimeSettings(m, new RuntimeSettings())).toBe(false);
    expect(applyRuntimeSettings(m, RuntimeSettings.DEFAULT.with({ cudaGraphStrategy: "disabled" }))).toBe(false);
    expect(m.setterCalls).toBe(0);
    expect(applyRuntimeSettings(m, new RuntimeSettings({ cudaGraphStrategy: "whole_graph_capture" }))).toBe(true);
    expect(m.setterCalls).toBe(1);
    expect(m.contextRecreations).toBe(1);
    expect(applyRuntimeSettings(m, new RuntimeSettings({ cudaGraphStrategy: "whole_graph_capture" }))).toBe(false);
    expect(m.setterCalls).toBe(1);
  });

  it("scoped helpers cause no churn when the override equals the current value", () => {
    const m = new FakeModule({ settings: new RuntimeSettings({ cudaGraphStrategy: "whole_graph_capture" }), capabilities: RTX });
    runtimeConfig(m, { cudaGraphStrategy: "whole_graph_capture", dynamicShapesKernelSpecializationStrategy: "lazy" }, () => {
      expect(m.setterCalls).toBe(0);
    });
    {
      using _scope = setCudaGraphStrategy([m, m], "whole_graph_capture");
    }
    runtimeConfig(m, {}, () => undefined);
    expect(m.setterCalls).toBe(0);
    expect(m.contextRecreations).toBe(0);
  });

  it("changes and restores with exactly one setter call each way", () => {
    const m = new FakeModule();
    setCudaGraphStrategy(m, "whole_graph_capture", () => {
      expect(m.runtimeSettings.cudaGraphStrategy).toBe("whole_graph_capture");
    });
    expect(m.setterCalls).toBe(2);
    expect(m.contextRecreations).toBe(2);
  });
});

describe("targets", () => {
  it("accepts one target, an array, or any iterable, without duplicates", () => {
    const a = new FakeModule();
    const b = new FakeModule();
    expect(toTargetList(a)).toEqual([a]);
    expect(toTargetList([a, b, a])).toEqual([a, b]);
    expect(toTargetList(new Set([b, a]))).toEqual([b, a]);
    expect(toTargetList([])).toEqual([]);
  });

  it("works on any object with a runtimeSettings getter and setter, including a plain data property", () => {
    const plain = { runtimeSettings: RuntimeSettings.DEFAULT };
    setCudaGraphStrategy(plain, "whole_graph_capture", () => {
      expect(plain.runtimeSettings.cudaGraphStrategy).toBe("whole_graph_capture");
    });
    expect(plain.runtimeSettings).toBe(RuntimeSettings.DEFAULT);
  });

  it("rejects things that are not targets with TRT_INVALID_TARGET", () => {
    const getterOnly = {
      get runtimeSettings() {
        return RuntimeSettings.DEFAULT;
      },
    };
    const wrongValue = { runtimeSettings: { cudaGraphStrategy: "disabled" } };
    for (const bad of [null, 42, "module", {}, getterOnly, wrongValue, [new FakeModule(), {}]]) {
      let error: unknown;
      try {
        runtimeConfig(bad as never, { cudaGraphStrategy: "whole_graph_capture" });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(SettingsError);
      expect((error as SettingsError).code).toBe("TRT_INVALID_TARGET");
    }
  });
});
