// `trt inspect`: every field of the shipped sample, JSON, pickles, and the
// error line for damaged or missing files. Needs no TensorRT at all.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readEngineFileSync, writeEngineFileSync } from "@trt/format/node";
import { describe, expect, it } from "vitest";
import { buildPlan } from "@trt/emulator";
import { CHILD_TIMEOUT_MS, cli, pkg, sample, tempDir, trt } from "./support/cli.js";
import { sampleModule } from "./support/sample.js";

const tmp = tempDir("trt-inspect-");
const sha256 = (b: Uint8Array): string => createHash("sha256").update(b).digest("hex");
const engine = readEngineFileSync(sample).engine;
// inspect must not need TensorRT: run it with a library path that cannot load.
const noTensorRT = { TRT_NVINFER_PATH: "/nonexistent/libnvinfer.so.10" };

describe("trt inspect", () => {
  it("prints every field of the shipped sample and its decoded metadata", () => {
    const { code, stdout, stderr } = trt(["inspect", sample], noTensorRT);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const field = (name: string): string => {
      const line = stdout.split("\n").find((l) => l.startsWith(`${name}  `));
      expect(line, `a "${name}" line`).toBeDefined();
      return (line as string).slice(name.length).trim();
    };
    expect(field("format")).toBe("container v1, CRC-32 verified");
    expect(field("abi version")).toBe("9");
    expect(field("name")).toBe("sample_engine");
    expect(field("device")).toBe('gpu 0, sm 0.0, gpu, "" [0%0%0%0%]');
    expect(field("engine")).toBe(`${engine.length} bytes, sha256 ${sha256(engine).slice(0, 16)}`);
    expect(field("input bindings")).toBe("x");
    expect(field("output bindings")).toBe("y");
    expect(field("hardware compatible")).toBe("no");
    expect(field("target platform")).toBe("linux_x86_64");
    expect(field("requires output allocator")).toBe("no");
    expect(field("resource allocation")).toBe("static");
    expect(field("requires native multidevice")).toBe("no");
    expect(field("aliased i/o")).toBe("(none)");
    expect(field("metadata")).toBe("304 base64 chars, pickle of 226 bytes, protocol 4");
    expect(stdout).toContain('"x": ["s0", 8]');
    expect(stdout).toContain('"output_tensors_are_unowned": false');
    expect(stdout).not.toMatch(/TRTEMUPL/); // engine bytes are never printed
  });

  it("--json prints the same report as JSON", () => {
    const { code, stdout } = trt(["inspect", sample, "--json"], noTensorRT);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as Record<string, unknown>;
    expect(report).toMatchObject({
      abiVersion: "9",
      name: "sample_engine",
      source: { kind: "container", version: 1, checksum: "verified" },
      device: { gpuId: 0, smMajor: 0, smMinor: 0, deviceType: 0, deviceName: "", raw: "0%0%0%0%" },
      engine: { bytes: engine.length, sha256: sha256(engine) },
      inputBindingNames: ["x"],
      outputBindingNames: ["y"],
      resourceAllocationStrategy: "static",
      aliasedIO: [],
      metadata: { status: "decoded", protocol: 4, value: { settings: { workspace_size: 0 } }, raw: readEngineFileSync(sample).metadata },
    });
  });

  it("reads pickled engines too", () => {
    const path = join(tmp, "sample.pkl");
    writeEngineFileSync(path, readEngineFileSync(sample), { format: "pickle", pickle: { protocol: 2, engineAs: "base64" } });
    const { code, stdout } = trt(["inspect", path], noTensorRT);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^format\s+pickle protocol 2, engine list, engine as base64$/m);
    expect(stdout).toContain(sha256(engine).slice(0, 16));
  });

  it.each([
    ["a flipped engine byte", (b: Buffer) => b.fill(b[700]! ^ 1, 700, 701), "CHECKSUM_MISMATCH"],
    ["a truncated file", (b: Buffer) => b.subarray(0, 1000), "LENGTH_OUT_OF_RANGE"],
    ["a wrong magic", (b: Buffer) => b.fill(0x50, 0, 1), "BAD_MAGIC"],
  ] as const)("exits 1 with `error [CODE]: ...` and no stack for %s", (_what, damage, code) => {
    const path = join(tmp, `bad-${code}.trtengine`);
    writeFileSync(path, damage(readFileSync(sample)));
    const r = trt(["inspect", path]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(new RegExp(`^error \\[${code}\\]: expected .+, found .+\\n$`));
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("reports a missing file by its errno code", () => {
    const r = trt(["inspect", join(tmp, "missing.trtengine")]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error \[ENOENT\]: cannot read /);
  });

  it("the bin launcher runs the same CLI", () => {
    const r = spawnSync(process.execPath, [join(pkg, "bin", "trt.js"), "inspect", sample, "--json"], { encoding: "utf8", timeout: CHILD_TIMEOUT_MS });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(JSON.parse(trt(["inspect", sample, "--json"]).stdout));
    expect(readFileSync(cli, "utf8")).toMatch(/^#!\/usr\/bin\/env node/);
  });
});

describe("trt inspect: raw plans and Torch-TensorRT archives (real files, no TensorRT needed)", () => {
  const fixtures = join(pkg, "..", "..", "tools", "real-tensorrt", "fixtures");
  const field = (stdout: string, name: string): string | undefined =>
    stdout.split("\n").find((l) => l.startsWith(`${name}  `))?.slice(name.length).trim();

  it("a TensorRT 10.6 plan: its size, hash and the release that built it", () => {
    const file = join(fixtures, "trt10", "identity.engine");
    const { code, stdout, stderr } = trt(["inspect", file], noTensorRT);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(field(stdout, "format")).toBe("raw TensorRT plan, built by TensorRT 10.6.0.26");
    const bytes = readFileSync(file);
    expect(field(stdout, "engine")).toBe(`${bytes.length} bytes, sha256 ${sha256(bytes).slice(0, 16)}`);
  });

  it("--json on a plan marks the tuple fields the file does not hold as null, instead of showing defaults", () => {
    const file = join(fixtures, "trt10", "identity.engine");
    const { code, stdout } = trt(["inspect", file, "--json"], noTensorRT);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as Record<string, unknown>;
    const fields = ["abiVersion", "name", "device", "inputBindingNames", "outputBindingNames", "hardwareCompatible", "targetPlatform",
      "requiresOutputAllocator", "resourceAllocationStrategy", "requiresNativeMultiDevice", "aliasedIO", "metadata"];
    expect(report.notInFile).toEqual(fields);
    for (const f of fields) expect(report[f], f).toBeNull();
    expect(report).toMatchObject({ source: { kind: "plan", producer: "tensorrt", tensorrtVersion: "10.6.0.26" }, engine: { bytes: readFileSync(file).length } });
    // A container holds every field.
    expect(JSON.parse(trt(["inspect", sample, "--json"], noTensorRT).stdout)).toMatchObject({ notInFile: [], abiVersion: readEngineFileSync(sample).abiVersion, targetPlatform: "linux_x86_64" });
  });

  it("an ExportedProgram with two engines: lists both and shows engine 0, or the one chosen", () => {
    const file = join(fixtures, "torch-tensorrt", "tt_two_engines.ep");
    const all = trt(["inspect", file], noTensorRT);
    expect(all.code).toBe(0);
    expect(all.stdout).toMatch(/^note: the archive holds several engines; this shows engine 0/);
    expect(all.stdout).toMatch(/^engines +0: _run_on_acc_0\.engine {2}name "mlp3_b8_fp32_engine", abi 8, \d+ bytes, inputs x, outputs y$/m);
    expect(all.stdout).toMatch(/^ +1: _run_on_acc_1\.engine {2}name "mlp3_b1_fp32_engine"/m);
    expect(field(all.stdout, "format")).toBe("ExportedProgram archive, engine 0 of 2 (_run_on_acc_0.engine, entry tt_two_engines/data/constants/custom_obj_0!archive/data.pkl)");
    expect(field(all.stdout, "device")).toBe('gpu 0, sm 9.0, gpu, "NVIDIA H200" [0%9%0%0%NVIDIA H200]');

    const chosen = trt(["inspect", file, "--engine", "_run_on_acc_1", "--json"], noTensorRT);
    expect(chosen.code).toBe(0);
    const report = JSON.parse(chosen.stdout) as { name: string; note?: string; source: { format: string; selected: { index: number } } };
    expect(report).toMatchObject({ name: "mlp3_b1_fp32_engine", source: { format: "exported_program", selected: { index: 1 } } });
    expect(report.note).toBeUndefined();
  });
});

describe("trt inspect: files that are not what they should be", () => {
  const fixtures = join(pkg, "..", "..", "tools", "real-tensorrt", "fixtures");

  it("a TensorRT plan cut to 100,000 of its 353,564 bytes is TRUNCATED, not a plan", () => {
    const cut = join(tmp, "cut.engine");
    writeFileSync(cut, readFileSync(join(fixtures, "trt10", "mlp3_b8_fp32.engine")).subarray(0, 100_000));
    for (const args of [["inspect", cut], ["inspect", cut, "--json"]]) {
      const r = trt(args, noTensorRT);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(/^error \[TRUNCATED\]: expected the 353564 bytes its header states \(a plan built by TensorRT 10\.6\.0\.26\), found a file of 100000 bytes/);
    }
  });

  it.each([
    ["a raw plan", "plan", /found a raw TensorRT plan, which holds one engine \(index 0\)/],
    ["a container", "container", /found a \.trtengine container, which holds one engine \("sample_engine", index 0\)/],
  ])("--engine 3 on %s is refused, not ignored", (_what, kind, found) => {
    const file = kind === "plan" ? join(fixtures, "trt10", "identity.engine") : sample;
    const r = trt(["inspect", file, "--engine", "3"], noTensorRT);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^error \[ENGINE_NOT_FOUND\]: expected an engine at index 3, /);
    expect(r.stderr).toMatch(found);
    // Index 0 is the one engine: accepted.
    expect(trt(["inspect", file, "--engine", "0"], noTensorRT).code).toBe(0);
  });
});

describe("trt inspect --deserialize (emulator)", () => {
  it("adds each I/O tensor with its profiles and, for a detailed engine, its layers", () => {
    const plan = join(tmp, "sample.engine");
    writeFileSync(plan, engine);
    const { code, stdout, stderr } = trt(["inspect", plan, "--deserialize"]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toMatch(/^format +TensorRT emulator plan$/m);
    expect(stdout).toMatch(/^deserialized with TensorRT [\d.]+ on host:0: engine "sample_engine", 1 profile\(s\)$/m);
    expect(stdout).toMatch(/^ {2}input {2}x: float \[-1, 8\] \(device\)$/m);
    expect(stdout).toMatch(/^ +profile 0: min \[1, 8\] opt \[4, 8\] max \[16, 8\]$/m);
    expect(stdout).toMatch(/^ {2}output y: float \[-1, 4\] \(device\)$/m);
    expect(stdout).toMatch(/^ {2}layers \(3\):\n {4}fc1 \[MatMul\]\n {4}relu1 \[Relu\]\n {4}fc2 \[MatMul\]$/m);
  });

  it("says why layers are not listed for an engine built without detailed profiling verbosity", () => {
    const plan = join(tmp, "names-only.engine");
    writeFileSync(plan, buildPlan({ ...(sampleModule.PLAN as Parameters<typeof buildPlan>[0]), profilingVerbosity: "layer_names_only" }));
    const { code, stdout } = trt(["inspect", plan, "--deserialize", "--json"]);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { deserialized: { layers: unknown; layersUnavailable: string; tensors: Array<{ name: string }> } };
    expect(report.deserialized.layers).toBeNull();
    expect(report.deserialized.layersUnavailable).toMatch(/not built with detailed profiling verbosity/);
    expect(report.deserialized.tensors.map((t) => t.name)).toEqual(["x", "y"]);
  });
});
