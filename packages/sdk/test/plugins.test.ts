// --plugin on the CLI (global, repeatable, every command), TRT_PLUGIN_PATHS,
// the error line for each plugin error code, `trt doctor`'s plugin section,
// and `trt inspect --deserialize` marking plugin layers: against the
// emulator, its stand-in of TensorRT's plugin library and its test plugin
// libraries.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildPlan, emulatorTestPluginLibraryPath, FIXTURES } from "@trt/emulator";
import { describe, expect, it } from "vitest";
import type { DoctorReport } from "../src/doctor/diagnose.js";
import { encodeNpy } from "../src/npy/index.js";
import { emulator10, tempDir, trt } from "./support/cli.js";

const tmp = tempDir("trt-plugins-");
const testPlugins = emulatorTestPluginLibraryPath("test", 10);
const customPlan = join(tmp, "plugin_custom.engine");
writeFileSync(customPlan, buildPlan(FIXTURES.plugin_custom!));
const standardPlan = join(tmp, "plugin_standard.engine");
writeFileSync(standardPlan, buildPlan(FIXTURES.plugin_standard!));
const input = join(tmp, "x.npy");
// float32 [2, 4]: relu, then the plugin's copy, gives max(x, 0).
writeFileSync(input, encodeNpy({ dtype: "float32", shape: [2, 4], data: Float32Array.from([1, -1, 2, -2, 3, -3, 4, -4]) }));

describe("--plugin", () => {
  it("runs an engine whose plugin comes from a library given with --plugin", () => {
    const { code, stdout, stderr } = trt(["run", customPlan, "-i", input, "--plugin", testPlugins]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toMatch(/^y +float \[2, 4\]$/m);
    expect(stdout).toMatch(/^ +first: 1, 0, 2, 0, 3, 0, 4, 0$/m);
  });

  it("takes TRT_PLUGIN_PATHS where no --plugin is given", () => {
    const { code } = trt(["run", customPlan, "-i", input], { TRT_PLUGIN_PATHS: testPlugins });
    expect(code).toBe(0);
  });

  it("runs an engine with one of TensorRT's standard plugins with nothing given: its library is found beside libnvinfer", () => {
    const { code, stdout } = trt(["inspect", standardPlan, "--deserialize"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^ {2}layers \(1, 1 plugin\):\n {4}nms \[PluginV3\] {2}<- plugin EfficientNMS_TRT version 1$/m);
  });

  it("says which creator is missing and how to load it: PLUGIN_NOT_FOUND", () => {
    const { code, stderr } = trt(["run", customPlan, "-i", input]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^error \[PLUGIN_NOT_FOUND\]: TensorRT plugin EmuScale version 1 in namespace "emu" not found/);
    expect(stderr).toContain("--plugin");
  });

  it("refuses a library that does not open, or that registers nothing", () => {
    const missing = trt(["inspect", customPlan, "--deserialize", "--plugin", "/nonexistent/libplugins.so"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^error \[PLUGIN_LIBRARY_NOT_FOUND\]: Plugin library \/nonexistent\/libplugins\.so cannot be loaded/);
    expect(missing.stderr).toContain("(from --plugin)");
    const empty = trt(["run", customPlan, "-i", input, "--plugin", emulatorTestPluginLibraryPath("empty", 10)]);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/^error \[PLUGIN_LIBRARY_INVALID\]/);
  });

  it("marks plugin layers in trt inspect --deserialize --json", () => {
    const { code, stdout } = trt(["inspect", customPlan, "--deserialize", "--json", "--plugin", testPlugins]);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { deserialized: { layers: Array<{ name: string; type: string; plugin?: unknown }> } };
    expect(report.deserialized.layers).toEqual([
      { name: "relu", type: "Relu" },
      { name: "scale", type: "PluginV3", plugin: { name: "EmuScale", version: "1", namespace: "emu" } },
      { name: "copy", type: "Identity" },
    ]);
  });
});

describe("trt doctor: plugins", () => {
  it("shows TensorRT's plugin library it found and each --plugin library", () => {
    const { code, stdout } = trt(["doctor", "--plugin", testPlugins]);
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`^ {2}TensorRT {2}${join(emulator10, "..", "libnvinfer_plugin.so.10").replace(/[.]/g, "\\.")}: 2 creators registered`, "m"));
    expect(stdout).toContain(`  library   ${testPlugins} (--plugin): 2 creators`);
    expect(stdout).toMatch(/^ {2}creators {2}4 registered in all$/m);
  });

  it("is not ready when a named plugin library does not load, and says why", () => {
    const { code, stdout } = trt(["doctor", "--json", "--plugin", "/nonexistent/libplugins.so"]);
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as DoctorReport;
    expect(report.ready).toBe(false);
    expect(report.plugins?.error).toMatchObject({ code: "PLUGIN_LIBRARY_NOT_FOUND", library: "/nonexistent/libplugins.so" });
    expect(report.plugins?.standard.creators).toBe(2);
    expect(report.advice.some((a) => a.startsWith("Plugins: Plugin library /nonexistent/libplugins.so cannot be loaded"))).toBe(true);
  });
});
