// `trt convert`: raw engine bytes into the tuple, every option landing in its
// slot, pickles, --check against the runtime, and refusals.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildPlan } from "@trt/emulator";
import { readEngineFileSync, readEngineFileWithSourceSync } from "@trt/format/node";
import { describe, expect, it } from "vitest";
import { sample, sampleInput, tempDir, trt } from "./support/cli.js";
import { expectedY, sampleModule } from "./support/sample.js";

const tmp = tempDir("trt-convert-");
const raw = join(tmp, "mlp.engine");
writeFileSync(raw, buildPlan(sampleModule.PLAN as Parameters<typeof buildPlan>[0]));

describe("trt convert", () => {
  it("wraps raw engine bytes with the names given, and the result runs", () => {
    const out = join(tmp, "mlp.trtengine");
    const { code, stdout, stderr } = trt(["convert", raw, "-o", out, "--inputs", "x", "--outputs", "y", "--target-platform", "linux_x86_64"]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`^wrote ${out} \\(container, ABI 9, \\d+ bytes\\): "mlp", inputs x; outputs y\\n$`));
    const value = readEngineFileSync(out);
    expect(Buffer.compare(Buffer.from(value.engine), readFileSync(raw))).toBe(0);
    // Not read from anywhere: the newest ABI of a Torch-TensorRT release, 2.12's and 2.13's.
    expect(value).toMatchObject({ abiVersion: "9", name: "mlp", inputBindingNames: ["x"], outputBindingNames: ["y"], targetPlatform: "linux_x86_64" });
    // The same engine as the shipped sample, apart from name and metadata.
    expect(Buffer.compare(Buffer.from(value.engine), Buffer.from(readEngineFileSync(sample).engine))).toBe(0);
    const run = trt(["run", out, "-i", sampleInput, "--json"]);
    expect(JSON.parse(run.stdout).outputs[0].first).toEqual(expectedY);
  });

  it("`trt inspect`, `run` and `bench` open the raw plan itself; bytes of no known layout still name `trt convert`", () => {
    const inspect = trt(["inspect", raw]);
    expect(inspect.code).toBe(0);
    expect(inspect.stdout).toMatch(/^format +TensorRT emulator plan$/m);
    const run = trt(["run", raw, "-i", sampleInput, "--json"]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).outputs[0].first).toEqual(expectedY);
    expect(trt(["bench", raw, "--iterations", "1", "--warmup", "0"]).code).toBe(0);

    const junk = join(tmp, "junk.engine");
    writeFileSync(junk, Buffer.from("not an engine of any kind, just text"));
    const { code, stdout, stderr } = trt(["run", junk, "-i", sampleInput]);
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/^error \[BAD_MAGIC\]: expected an engine file: .*, found first bytes [0-9a-f ]+\. Check the path; /);
    expect(stderr).toContain("wrap them with `trt convert RAW.engine --inputs a,b --outputs y -o FILE`");
    expect(stderr).not.toContain("writeEngineFile");
    expect(stderr.split("\n")).toEqual([expect.any(String), ""]);
  });

  it("--abi writes the layout a Torch-TensorRT release loads, and refuses one that cannot carry a flag given", () => {
    const out = join(tmp, "abi8.trtengine");
    const written = trt(["convert", raw, "-o", out, "--abi", "8", "--resource-allocation", "dynamic"]);
    expect(written.code).toBe(0);
    expect(written.stdout).toContain("(container, ABI 8, ");
    expect(readEngineFileSync(out)).toMatchObject({ abiVersion: "8", resourceAllocationStrategy: "dynamic" });
    const pickle = join(tmp, "abi10.pkl");
    expect(trt(["convert", raw, "-o", pickle, "--format", "pickle", "--abi", "10"]).code).toBe(0);
    expect(readEngineFileSync(pickle).abiVersion).toBe("10");
    // Aliased I/O by default moves on to ABI 10, the first that has the slot; asked for 9 it is refused.
    expect(trt(["convert", raw, "-o", join(tmp, "aliased.trtengine"), "--aliased-io", "y@x@user"]).stdout).toContain("ABI 10,");
    const refused = trt(["convert", raw, "-o", join(tmp, "refused.trtengine"), "--abi", "9", "--aliased-io", "y@x@user"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^error \[FIELD_NOT_IN_ABI\]: .*aliased I\/O \(y -> x\), which ABI "9" cannot carry \(ABI "10" can/);
    expect(existsSync(join(tmp, "refused.trtengine"))).toBe(false);
    const unknown = trt(["convert", raw, "-o", join(tmp, "x.trtengine"), "--abi", "5"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^error \[USAGE\]: option '--abi <version>' argument '5' is invalid/);
  });

  it("puts every option in its slot", () => {
    const out = join(tmp, "options.trtengine");
    const args = ["--name", "custom", "--device-info", "1%8%6%0%NVIDIA A10", "--hardware-compatible", "--requires-output-allocator"];
    args.push("--resource-allocation", "dynamic", "--requires-native-multidevice", "--target-platform", "linux_aarch64");
    args.push("--aliased-io", "y@x@user", "--metadata", "gAN9lC4=");
    const { code } = trt(["convert", raw, "-o", out, ...args]);
    expect(code).toBe(0);
    expect(readEngineFileSync(out)).toMatchObject({
      name: "custom",
      device: { gpuId: 1, smMajor: 8, smMinor: 6, deviceType: 0, deviceName: "NVIDIA A10" },
      inputBindingNames: [],
      outputBindingNames: [],
      hardwareCompatible: true,
      requiresOutputAllocator: true,
      resourceAllocationStrategy: "dynamic",
      requiresNativeMultiDevice: true,
      targetPlatform: "linux_aarch64",
      aliasedIO: [{ output: "y", input: "x", kind: "user" }],
      metadata: "gAN9lC4=",
    });
  });

  it("writes a pickle Python can load with --format pickle", () => {
    const out = join(tmp, "mlp.pkl");
    expect(trt(["convert", raw, "-o", out, "--format", "pickle", "--pickle-protocol", "2"]).code).toBe(0);
    expect(readEngineFileWithSourceSync(out).source).toMatchObject({ kind: "pickle", protocol: 2 });
  });

  it("--check loads the result with the runtime before writing, and writes nothing when it fails", () => {
    const good = trt(["convert", raw, "-o", join(tmp, "checked.trtengine"), "--inputs", "x", "--outputs", "y", "--check"]);
    expect(good.code).toBe(0);
    expect(good.stderr).toMatch(/^check: mlp loads on (native|ffi): inputs x; outputs y\n$/);
    const bad = trt(["convert", raw, "-o", join(tmp, "unchecked.trtengine"), "--inputs", "input0", "--check"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^error \[INVALID_INPUT\]: .*input binding names that are exactly the engine's inputs \(x\)/);
    expect(existsSync(join(tmp, "unchecked.trtengine"))).toBe(false);
  });

  it.each([
    ["an engine file", () => ["convert", sample, "-o", join(tmp, "x.trtengine")], /^error \[ALREADY_CONTAINER\]: .+ is a \.trtengine container, not raw engine bytes/],
    ["a bad device string", () => ["convert", raw, "-o", join(tmp, "x.trtengine"), "--device-info", "0%9%0"], /^error \[BAD_DEVICE_INFO\]: /],
    ["a name with %", () => ["convert", raw, "-o", join(tmp, "x.trtengine"), "--inputs", "a%b"], /^error \[BAD_BINDING_NAMES\]: /],
    ["a malformed alias", () => ["convert", raw, "-o", join(tmp, "x.trtengine"), "--aliased-io", "y@x"], /^error \[USAGE\]: option '--aliased-io/],
    ["no output file", () => ["convert", raw], /^error \[USAGE\]: required option '-o, --output <file>' not specified/],
  ])("refuses %s", (_what, args, message) => {
    const r = trt(args());
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(existsSync(join(tmp, "x.trtengine"))).toBe(false);
  });
});
