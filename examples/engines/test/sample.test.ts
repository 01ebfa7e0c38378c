// The committed sample files are what make-sample.mjs writes today, and the
// sample engine computes, on the emulator, exactly what its description says.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { emulatorLibraryPath } from "@trt/emulator";
import { decodeNpy, TensorRTEnvironment, TensorRTModule, withRuntime } from "@trt/sdk";
import { afterAll, describe, expect, it } from "vitest";
import { reference, SAMPLE_INPUT } from "../sample.mjs";

const here = join(dirname(fileURLToPath(import.meta.url)), "..");
const tmp = mkdtempSync(join(tmpdir(), "trt-sample-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("examples/engines", () => {
  it("holds exactly what make-sample.mjs produces (run it after changing sample.mjs or the formats)", () => {
    // A child that hangs fails here rather than blocking the worker (vitest.config.ts allows 120 s a test).
    const r = spawnSync(process.execPath, [join(here, "make-sample.mjs"), tmp], { encoding: "utf8", timeout: 90_000 });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe("");
    for (const file of ["sample.trtengine", "sample-input.npy"]) {
      expect(Buffer.compare(readFileSync(join(tmp, file)), readFileSync(join(here, file))), file).toBe(0);
    }
  });

  it("the sample engine runs on the emulator and computes its reference, on both engine implementations", async () => {
    const environment = new TensorRTEnvironment({ nvinferPath: emulatorLibraryPath(10) });
    const kinds = environment.nativeAvailability().available ? (["ffi", "native"] as const) : (["ffi"] as const);
    const input = decodeNpy(readFileSync(join(here, "sample-input.npy")));
    expect(input).toEqual(SAMPLE_INPUT);
    for (const runtime of kinds) {
      const module = await TensorRTModule.load(join(here, "sample.trtengine"), { environment });
      await module.materialize(runtime);
      const result = await withRuntime(runtime, () => module.run({ x: { data: input.data, shape: input.shape } }));
      expect(Array.from((await result.get("y").toArray()) as Float32Array), runtime).toEqual(reference(input.data as Float32Array, 2));
      result.dispose();
      module.release();
    }
  });
});
