// A real TensorRT plan handed to the emulator (and the other way round) is refused
// before deserialization with what the file is and which library runs it, on
// each engine implementation, instead of the emulator's "bad magic".
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { RuntimeUnavailableError } from "../src/errors/index.js";
import { checkPlanFitsLibrary } from "../src/module/plan-fits-library.js";
import { TensorRTModule } from "../src/module/module.js";
import { withRuntime } from "../src/selection/scope.js";
import { environmentFor, IMPLEMENTATIONS, plan } from "./support/runtime.js";

const realPlan = new Uint8Array(readFileSync(join(import.meta.dirname, "../../../tools/real-tensorrt/fixtures/trt10/identity.engine")));
const environment = environmentFor(10);

describe("a plan and the library that runs it", () => {
  it.each(IMPLEMENTATIONS)("%s: a TensorRT 10.6 plan on the emulator says what it is and how to reach real TensorRT", async (implementation) => {
    const error = await withRuntime(implementation, () => TensorRTModule.fromEngine(realPlan, { environment })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RuntimeUnavailableError);
    const e = error as RuntimeUnavailableError;
    expect(e.code).toBe("RUNTIME_UNAVAILABLE");
    expect(e.component).toBe("tensorrt");
    expect(e.reason).toMatch(/^this is a TensorRT 10\.6\.0\.26 plan, and the library loaded \(.+libnvinfer\.so\.10\) is the TensorRT emulator [\d.]+, which runs only plans written by its own plan builder$/);
    expect(e.fix).toMatch(/^Point TRT_NVINFER_PATH .+ at real TensorRT's libnvinfer\.so\.10, on a machine with an NVIDIA GPU/);
    expect(e.message).not.toMatch(/bad magic/);
  });

  it("an emulator plan on real TensorRT is refused the same way (checked on a library description)", () => {
    const tensorrt = { path: "/opt/tensorrt/lib/libnvinfer.so.10", version: { major: 10, minor: 6, patch: 0, raw: 100600 }, emulator: null };
    expect(() => checkPlanFitsLibrary(plan("identity_f32"), tensorrt)).toThrow(/this is a TensorRT emulator plan, and the library loaded \(\/opt\/tensorrt\/lib\/libnvinfer\.so\.10\) is TensorRT 10\.6\.0, which cannot run it/);
    // Each library with its own kind of plan passes.
    expect(() => checkPlanFitsLibrary(realPlan, tensorrt)).not.toThrow();
    expect(() => checkPlanFitsLibrary(plan("identity_f32"), environment.library)).not.toThrow();
  });
});
