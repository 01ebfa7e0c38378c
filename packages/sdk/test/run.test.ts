// `trt run` on the emulator: outputs summarised or written as .npy, on each
// engine implementation, and every way the inputs can be wrong.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { writeEngineFileSync, readEngineFileSync } from "@trt/format/node";
import { describe, expect, it } from "vitest";
import { decodeNpy, encodeNpy } from "../src/npy/index.js";
import { numpyPython, pkg, python, sample, sampleInput, tempDir, trt } from "./support/cli.js";
import { expectedY, sampleModule } from "./support/sample.js";
import { nativeLoads } from "./support/native.js";

const tmp = tempDir("trt-run-");
const fixtures = join(pkg, "..", "..", "tools", "real-tensorrt", "fixtures");

describe("trt run", () => {
  it("runs the sample on its input and prints shape, dtype, min/max/mean and the first values", () => {
    const { code, stdout, stderr } = trt(["run", sample, "--input", `x=${sampleInput}`]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^sample_engine: ran on (native|ffi) \(host:0, TensorRT emulator [\d.]+ \(host mode, not TensorRT\)\) in [\d.]+ ms$/);
    expect(lines[1]).toBe("y  float [2, 4]");
    const [min, max] = [Math.min(...expectedY), Math.max(...expectedY)];
    const mean = expectedY.reduce((a, b) => a + b, 0) / expectedY.length;
    expect(lines[2]).toBe(`  min ${Number(min.toPrecision(6))}  max ${Number(max.toPrecision(6))}  mean ${Number(mean.toPrecision(6))}`);
    expect(lines[3]).toBe(`  first: ${expectedY.map((v) => Number(v.toPrecision(6))).join(", ")}`);
  });

  it.each(["ffi", ...(nativeLoads ? ["native"] : [])])("--runtime %s --json gives the exact outputs", (runtime) => {
    const { code, stdout } = trt(["--runtime", runtime, "run", sample, "-i", sampleInput, "--json", "--first", "100"]);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { implementation: string; device: string; outputs: Array<{ name: string; first: number[]; count: number }> };
    expect(report.implementation).toBe(runtime);
    expect(report.device).toBe("host:0");
    expect(report.outputs).toHaveLength(1);
    expect(report.outputs[0]).toMatchObject({ name: "y", dtype: "float", shape: [2, 4], count: 8, nans: 0, first: expectedY });
  });

  it("--output-dir writes each output as .npy, which numpy reads", () => {
    const out = join(tmp, "out");
    const { code, stdout } = trt(["run", sample, "--input", `x=${sampleInput}`, "--output-dir", out]);
    expect(code).toBe(0);
    expect(stdout).toContain(`y  float [2, 4]  -> ${join(out, "y.npy")}`);
    const y = decodeNpy(readFileSync(join(out, "y.npy")));
    expect(y).toMatchObject({ dtype: "float32", shape: [2, 4] });
    expect(Array.from(y.data as Float32Array)).toEqual(expectedY);
    if (numpyPython) {
      expect(python("import numpy as np, sys; a = np.load(sys.argv[1]); print(a.dtype, a.shape)", [join(out, "y.npy")]).trim()).toBe("float32 (2, 4)");
    }
  });

  it("runs any batch the profile allows, and pickled engines", () => {
    const x = Float32Array.from({ length: 5 * 8 }, (_, i) => ((i % 13) - 6) / 8);
    writeFileSync(join(tmp, "x5.npy"), encodeNpy({ dtype: "float32", shape: [5, 8], data: x }));
    const pickle = join(tmp, "sample.pkl");
    writeEngineFileSync(pickle, readEngineFileSync(sample), { format: "pickle" });
    const { code, stdout } = trt(["run", pickle, "-i", join(tmp, "x5.npy"), "--json", "--first", "40"]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).outputs[0]).toMatchObject({ shape: [5, 4], first: sampleModule.reference(x, 5) });
  });

  it.each([
    ["no input", [], /^error \[MISSING_INPUT\]: no data for x float \[-1, 8\]; pass --input x=FILE\.npy\n$/],
    ["an unknown name", ["-i", "z=a.npy"], /^error \[UNKNOWN_INPUT\]: --input z=\.\.\.: the engine has no input "z"; its inputs are x float \[-1, 8\]\n$/],
    ["a missing file", ["-i", "x=/nonexistent/x.npy"], /^error \[ENOENT\]: ENOENT: no such file or directory, open '\/nonexistent\/x\.npy'\n$/],
    ["a shape outside the profile", ["-i", "x=BIG"], /^error \[INVALID_INPUT\]: .*x \[17, 8\]/],
    ["the wrong dtype", ["-i", "x=INT"], /^error \[INPUT_DTYPE\]: input "x" is float in the engine, but .+int32\.npy holds int32; convert it in numpy: numpy\.save\(path, a\.astype\(numpy\.float32\)\)\n$/],
    ["a Fortran-order file", ["-i", "x=FORTRAN"], /^error \[NPY_FORTRAN_ORDER\]: expected an array in C \(row-major\) order/],
  ])("refuses %s with one error line", (_what, args, message) => {
    writeFileSync(join(tmp, "big.npy"), encodeNpy({ dtype: "float32", shape: [17, 8], data: new Float32Array(17 * 8) }));
    writeFileSync(join(tmp, "int32.npy"), encodeNpy({ dtype: "int32", shape: [2, 8], data: new Int32Array(16) }));
    const fortran = Buffer.from(encodeNpy({ dtype: "float32", shape: [2, 8], data: new Float32Array(16) }));
    writeFileSync(join(tmp, "fortran.npy"), Buffer.from(fortran.toString("latin1").replace("'fortran_order': False", "'fortran_order': True "), "latin1"));
    const files: Record<string, string> = { BIG: "big.npy", INT: "int32.npy", FORTRAN: "fortran.npy" };
    const resolved = args.map((a) => a.replace(/=(BIG|INT|FORTRAN)$/, (_m, k: string) => `=${join(tmp, files[k]!)}`));
    const r = trt(["run", sample, ...resolved]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("says which library is missing when TensorRT does not load", () => {
    const r = trt(["run", sample, "-i", sampleInput, "--nvinfer", "/nonexistent/libnvinfer.so.10"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error \[RUNTIME_UNAVAILABLE\]: .*\/nonexistent\/libnvinfer\.so\.10/);
  });
});

describe("trt run: files users have", () => {
  it("a raw plan runs with the engine's own binding names; --engine picks one of several in an archive", () => {
    const plan = join(tmp, "sample.engine");
    writeFileSync(plan, readEngineFileSync(sample).engine);
    const run = trt(["run", plan, "-i", `x=${sampleInput}`, "--json"]);
    expect(run.stderr).toBe("");
    expect(JSON.parse(run.stdout).outputs[0]).toMatchObject({ name: "y", first: expectedY });

    const archive = join(pkg, "..", "..", "tools", "real-tensorrt", "fixtures", "torch-tensorrt", "tt_two_engines.ts");
    const ambiguous = trt(["run", archive, "-i", `x=${sampleInput}`]);
    expect(ambiguous.code).toBe(1);
    expect(ambiguous.stderr).toMatch(/^error \[AMBIGUOUS_ENGINE\]: .*0: _run_on_acc_0\.engine .*1: _run_on_acc_1\.engine .*Pick one with `--engine INDEX\|PATH\|NAME`/);
  });

  it("refuses --engine on a file that holds one engine instead of ignoring it", () => {
    const plan = join(tmp, "sample-one.engine");
    writeFileSync(plan, readEngineFileSync(sample).engine);
    for (const file of [sample, plan]) {
      const r = trt(["run", file, "-i", `x=${sampleInput}`, "--engine", "3"]);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(/^error \[ENGINE_NOT_FOUND\]: expected an engine at index 3, found a (\.trtengine container|raw TensorRT emulator plan), which holds one engine .*Leave out the engine choice/);
    }
  });

  it("refuses a plan cut short, saying so, before TensorRT sees it", () => {
    const whole = readFileSync(join(fixtures, "trt10", "mlp3_b8_fp32.engine"));
    const cut = join(tmp, "cut.engine");
    writeFileSync(cut, whole.subarray(0, 100_000));
    const r = trt(["run", cut, "-i", `x=${sampleInput}`]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      "error [TRUNCATED]: expected the 353564 bytes its header states (a plan built by TensorRT 10.6.0.26), found a file of 100000 bytes: the plan was cut short. " +
        "The file was cut short (an interrupted copy or download?); copy it again.\n",
    );
  });

  it("says a real TensorRT plan needs real TensorRT when the emulator is loaded", () => {
    const r = trt(["run", join(fixtures, "trt10", "identity.engine"), "-i", join(fixtures, "trt10", "identity.in.x.npy")]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error \[RUNTIME_UNAVAILABLE\]: .*this is a TensorRT 10\.6\.0\.26 plan, .* is the TensorRT emulator [\d.]+, which runs only plans written by its own plan builder/);
    expect(r.stderr).toMatch(/Point TRT_NVINFER_PATH .*trt --nvinfer\) at real TensorRT's libnvinfer\.so\.10/);
    expect(r.stderr).not.toMatch(/bad magic/);
  });
});
