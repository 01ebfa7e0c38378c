import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { RuntimeSettings, STANDARD_TENSORRT_CAPABILITIES, runtimeCache, runtimeConfig, setDynamicShapesKernelStrategy, setWarningHandler } from "../src/index.js";
import { capabilitiesOf, honourRuntimeSettings, resetWarnings, warnOnce } from "../src/advanced.js";
import { FakeModule, RTX } from "./support/fake-module.js";
import { codes, collectWarnings } from "./support/warnings.js";
import { useTempDir } from "./support/temp-dir.js";

describe("settings the loaded TensorRT cannot honour", () => {
  const warnings = collectWarnings();
  const dir = useTempDir();

  it("treats a target without capabilities as standard TensorRT", () => {
    expect(capabilitiesOf(new FakeModule())).toEqual(STANDARD_TENSORRT_CAPABILITIES);
    expect(capabilitiesOf(new FakeModule({ capabilities: { kernelSpecialization: true } as never }))).toEqual({
      kernelSpecialization: true,
      runtimeCache: false,
    });
  });

  it("kernel specialization on standard TensorRT: not applied, getter unchanged, one warning per process", () => {
    const m = new FakeModule();
    setDynamicShapesKernelStrategy(m, "eager", () => {
      expect(m.runtimeSettings.dynamicShapesKernelSpecializationStrategy).toBe("lazy");
    });
    {
      using _scope = setDynamicShapesKernelStrategy([m, new FakeModule()], "none");
      expect(m.runtimeSettings.dynamicShapesKernelSpecializationStrategy).toBe("lazy");
    }
    expect(m.setterCalls).toBe(0);
    expect(codes(warnings)).toEqual(["TRT_UNSUPPORTED_KERNEL_SPECIALIZATION"]);
    expect(warnings[0]?.message).toContain("TensorRT-RTX");
  });

  it("runtime cache on standard TensorRT: not applied, nothing saved, one warning per process", () => {
    const m = new FakeModule();
    const path = join(dir.path, "cache.bin");
    runtimeCache(m, path, () => {
      expect(m.runtimeSettings.runtimeCache).toBeNull();
      m.run();
    });
    runtimeConfig(m, { runtimeCache: path }, () => undefined);
    expect(m.setterCalls).toBe(0);
    expect(existsSync(path)).toBe(false);
    expect(codes(warnings)).toEqual(["TRT_UNSUPPORTED_RUNTIME_CACHE"]);
  });

  it("applies the settings it can honour and drops only the others", () => {
    const m = new FakeModule();
    runtimeConfig(m, { cudaGraphStrategy: "whole_graph_capture", dynamicShapesKernelSpecializationStrategy: "eager" }, () => {
      expect(m.runtimeSettings.cudaGraphStrategy).toBe("whole_graph_capture");
      expect(m.runtimeSettings.dynamicShapesKernelSpecializationStrategy).toBe("lazy");
    });
    expect(m.runtimeSettings.equals(RuntimeSettings.DEFAULT)).toBe(true);
    expect(codes(warnings)).toEqual(["TRT_UNSUPPORTED_KERNEL_SPECIALIZATION"]);
  });

  it("applies RTX-only settings on TensorRT-RTX without warning", () => {
    const m = new FakeModule({ capabilities: RTX });
    setDynamicShapesKernelStrategy(m, "eager", () => {
      expect(m.runtimeSettings.dynamicShapesKernelSpecializationStrategy).toBe("eager");
    });
    expect(warnings).toEqual([]);
  });

  it("does not warn when the requested value is what the target already has", () => {
    setDynamicShapesKernelStrategy(new FakeModule(), "lazy", () => undefined);
    runtimeConfig(new FakeModule(), { runtimeCache: null }, () => undefined);
    expect(warnings).toEqual([]);
  });

  it("honourRuntimeSettings is the same policy for the runtime's own setter", () => {
    const current = RuntimeSettings.DEFAULT;
    const desired = current.with({ cudaGraphStrategy: "whole_graph_capture", runtimeCache: "x.bin" });
    const honoured = honourRuntimeSettings(desired, current, STANDARD_TENSORRT_CAPABILITIES);
    expect(honoured.cudaGraphStrategy).toBe("whole_graph_capture");
    expect(honoured.runtimeCache).toBeNull();
    expect(honourRuntimeSettings(desired, current, RTX)).toBe(desired);
  });
});

describe("warnOnce", () => {
  afterEach(() => {
    vi.restoreAllMocks();
    resetWarnings();
  });

  it("emits a Node warning with a code, once per code per process", () => {
    resetWarnings();
    const emit = vi.spyOn(process, "emitWarning").mockImplementation(() => undefined);
    expect(warnOnce("TRT_TEST_A", "first")).toBe(true);
    expect(warnOnce("TRT_TEST_A", "again")).toBe(false);
    expect(warnOnce("TRT_TEST_B", "other")).toBe(true);
    expect(emit).toHaveBeenCalledTimes(2);
    expect(emit).toHaveBeenNthCalledWith(1, "first", { type: "TensorRTWarning", code: "TRT_TEST_A" });
  });

  it("goes to an injected handler, and resetWarnings makes codes warn again", () => {
    const seen: string[] = [];
    const previous = setWarningHandler((w) => seen.push(`${w.code}: ${w.message}`));
    try {
      warnOnce("TRT_TEST_C", "one");
      warnOnce("TRT_TEST_C", "two");
      resetWarnings();
      warnOnce("TRT_TEST_C", "three");
    } finally {
      setWarningHandler(previous);
    }
    expect(seen).toEqual(["TRT_TEST_C: one", "TRT_TEST_C: three"]);
  });

  it("is shared with a second copy of the package", async () => {
    const seen: string[] = [];
    setWarningHandler((w) => seen.push(w.code));
    try {
      warnOnce("TRT_TEST_D", "from the first copy");
      vi.resetModules();
      const copy = await import("../src/advanced.js");
      expect(copy.warnOnce("TRT_TEST_D", "from the second copy")).toBe(false);
    } finally {
      setWarningHandler(null);
    }
    expect(seen).toEqual(["TRT_TEST_D"]);
  });
});
