// Torch-TensorRT's archives and raw plans, read without torch and without a GPU:
// the real files in tools/real-tensorrt/fixtures (Torch-TensorRT 2.11 .ep/.ts
// around TensorRT 10.6 plans built on an H200), and hand-built zips for every way
// an archive can be wrong.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  detectEngineFormat,
  isFormatError,
  readEngineBytes,
  readPlanHeader,
  type EngineFileRead,
  type FormatErrorCode,
} from "../src/index.js";
import { readEngineFile, readEngineFileSync, readEngineFileWithSource } from "../src/node.js";
import { sampleEngine } from "./helpers.js";
import { base64Slots, enginePickle } from "./torch-pickles.js";
import { writeTestZip } from "./zip-writer.js";

const here = dirname(fileURLToPath(import.meta.url));
const realDir = join(here, "../../../tools/real-tensorrt/fixtures");
const archive = (name: string): string => join(realDir, "torch-tensorrt", name);
const plan = (name: string): Uint8Array => new Uint8Array(readFileSync(join(realDir, "trt10", `${name}.engine`)));
const sha = (b: Uint8Array): string => createHash("sha256").update(b).digest("hex");

function codeOf(fn: () => unknown): FormatErrorCode | "no error" {
  try {
    fn();
  } catch (e) {
    if (isFormatError(e)) return e.code;
    throw e;
  }
  return "no error";
}

describe("raw plans", () => {
  it("reads a real TensorRT 10.6 plan: engine bytes as they are, version from the header, bindings left to the engine", async () => {
    const bytes = plan("identity");
    expect(detectEngineFormat(bytes.subarray(0, 16))).toBe("plan");
    const read = await readEngineFileWithSource(join(realDir, "trt10", "identity.engine"));
    expect(read.source).toEqual({ kind: "plan", producer: "tensorrt", tensorrtVersion: "10.6.0.26" });
    expect(sha(read.value.engine)).toBe(sha(bytes));
    expect(read.value.inputBindingNames).toEqual([]);
    expect(read.value.outputBindingNames).toEqual([]);
    expect(read.value.device.smMajor).toBe(0);
    expect(read.fileBytes).toBe(bytes.length);
  });

  it("does not trust a TensorRT header whose size disagrees with the file", () => {
    const bytes = plan("nonzero");
    expect(readPlanHeader(bytes, bytes.length)?.declaredBytes).toBe(bytes.length);
    expect(readPlanHeader(bytes, bytes.length + 1)).toEqual({ producer: "tensorrt", declaredBytes: null, tensorrtVersion: null, requiredMajor: null });
  });

  it("recognises a TensorRT-RTX plan by its header (the first 32 bytes of one TensorRT-RTX 1.7.1 built on an H200)", () => {
    const hex = "76747274000000000200000000000000ec0b0200000000000107017476747274";
    const head = Uint8Array.from(hex.match(/../g)!.map((h) => parseInt(h, 16)));
    expect(readPlanHeader(head, 134_124)).toEqual({ producer: "tensorrt-rtx", declaredBytes: 134_124, tensorrtVersion: "1.7.1.116", requiredMajor: null });
    expect(detectEngineFormat(head)).toBe("plan");
  });

  it("reads an emulator plan's header", () => {
    const head = new Uint8Array(32);
    head.set(new TextEncoder().encode("TRTEMUPL"));
    const v = new DataView(head.buffer);
    v.setUint32(8, 1, true);
    v.setBigUint64(16, 4096n, true);
    v.setUint32(24, 10, true);
    expect(readPlanHeader(head)).toEqual({ producer: "emulator", declaredBytes: 4096, tensorrtVersion: null, requiredMajor: 10 });
    expect(detectEngineFormat(head)).toBe("plan");
  });

  it("refuses a file that is none of the formats, naming them", () => {
    let error: unknown;
    try {
      readEngineBytes(new TextEncoder().encode("hello, this is not an engine at all"));
    } catch (e) {
      error = e;
    }
    expect(isFormatError(error) && error.code).toBe("BAD_MAGIC");
    expect(String(error)).toMatch(/TensorRT plan/);
  });
});

describe("Torch-TensorRT 2.11 archives (real files)", () => {
  const b8 = plan("mlp3_b8_fp32");
  const b1 = plan("mlp3_b1_fp32");

  const expectB8 = (read: EngineFileRead): void => {
    expect(sha(read.value.engine)).toBe(sha(b8));
    expect(read.value.name).toBe("mlp3_b8_fp32_engine");
    expect(read.value.abiVersion).toBe("8");
    expect(read.value.inputBindingNames).toEqual(["x"]);
    expect(read.value.outputBindingNames).toEqual(["y"]);
    expect(read.value.device).toMatchObject({ gpuId: 0, smMajor: 9, smMinor: 0, deviceName: "NVIDIA H200" });
    expect(read.value.targetPlatform).toBe("linux_x86_64");
  };

  it.each([
    ["tt_mlp3_b8.ep", "exported_program", "tt_mlp3_b8/data/constants/custom_obj_0!archive/data.pkl"],
    ["tt_mlp3_b8.ts", "torchscript", "tt_mlp3_b8/data.pkl"],
  ])("%s: the one engine, byte-identical to the plan it was made from", async (file, format, entry) => {
    const read = await readEngineFileWithSource(archive(file));
    expectB8(read);
    expect(read.source).toMatchObject({ kind: "archive", format, selected: { index: 0, path: "_run_on_acc_0.engine", entry } });
    expect(detectEngineFormat(readFileSync(archive(file)).subarray(0, 16))).toBe("archive");
    // The browser path (bytes in memory) reads the same.
    const inMemory = readEngineBytes(new Uint8Array(readFileSync(archive(file))));
    expect(sha(inMemory.value.engine)).toBe(sha(b8));
    expect(inMemory.source).toEqual(read.source);
  });

  it.each(["tt_two_engines.ep", "tt_two_engines.ts"])("%s: several engines need a choice, and the error lists them", async (file) => {
    let error: unknown;
    try {
      await readEngineFile(archive(file));
    } catch (e) {
      error = e;
    }
    expect(isFormatError(error) && error.code).toBe("AMBIGUOUS_ENGINE");
    expect(isFormatError(error) && error.remedy).toBe("CHOOSE_ENGINE");
    expect(String(error)).toMatch(/0: _run_on_acc_0\.engine \(engine "mlp3_b8_fp32_engine".*1: _run_on_acc_1\.engine \(engine "mlp3_b1_fp32_engine"/);

    for (const engine of [1, "_run_on_acc_1", "_run_on_acc_1.engine", "mlp3_b1_fp32_engine"]) {
      const read = readEngineFileSync(archive(file), { engine });
      expect(sha(read.engine)).toBe(sha(b1));
    }
    expectB8(await readEngineFileWithSource(archive(file), { engine: 0 }));
    const listing = (await readEngineFileWithSource(archive(file), { engine: 0 })).source;
    expect(listing.kind === "archive" && listing.engines.map((e) => [e.path, e.name, e.engineBytes])).toEqual([
      ["_run_on_acc_0.engine", "mlp3_b8_fp32_engine", b8.length],
      ["_run_on_acc_1.engine", "mlp3_b1_fp32_engine", b1.length],
    ]);
    expect(codeOf(() => readEngineFileSync(archive(file), { engine: "_run_on_acc_7" }))).toBe("ENGINE_NOT_FOUND");
    expect(codeOf(() => readEngineFileSync(archive(file), { engine: 2 }))).toBe("ENGINE_NOT_FOUND");
  });

  it("every truncation of a real archive is a FormatError, never a crash", () => {
    const bytes = new Uint8Array(readFileSync(archive("tt_mlp3_b8.ep")));
    const cuts = [0, 1, 3, 30, 1000, 400_000, bytes.length - 2000, bytes.length - 22, bytes.length - 1];
    for (const cut of cuts) expect(codeOf(() => readEngineBytes(bytes.subarray(0, cut)))).not.toBe("no error");
  });

  it("a flipped byte inside the engine entry is caught by the zip's CRC-32", () => {
    const bytes = new Uint8Array(readFileSync(archive("tt_mlp3_b8.ts")));
    bytes[200_000] = (bytes[200_000] as number) ^ 0x40;
    expect(codeOf(() => readEngineBytes(bytes))).toBe("BAD_ZIP");
  });
});

describe("synthetic archives", () => {
  it("a torch.save zip holding an engine object is read (torch_save format)", () => {
    const zip = writeTestZip([
      { name: "ckpt/data.pkl", data: enginePickle(base64Slots()) },
      { name: "ckpt/version", data: new TextEncoder().encode("3\n") },
    ]);
    const read = readEngineBytes(zip);
    expect(read.source).toMatchObject({ kind: "archive", format: "torch_save", selected: { path: "" } });
    expect(read.value).toEqual(sampleEngine());
  });

  it("an older ExportedProgram's serialized_constants.pt (a nested torch.save zip) is read", () => {
    const inner = writeTestZip([{ name: "archive/data.pkl", data: enginePickle(base64Slots(), "_run_on_acc_0.engine") }]);
    const zip = writeTestZip([
      { name: "m/serialized_exported_program.json", data: new TextEncoder().encode("{}") },
      { name: "m/serialized_constants.pt", data: inner },
    ]);
    const read = readEngineBytes(zip);
    expect(read.source).toMatchObject({ kind: "archive", format: "exported_program", selected: { path: "_run_on_acc_0.engine", entry: "m/serialized_constants.pt!archive/data.pkl" } });
    expect(read.value.engine).toEqual(sampleEngine().engine);
  });

  it("zip64 records and a trailing comment are followed", () => {
    const zip = writeTestZip([{ name: "ckpt/data.pkl", data: enginePickle(base64Slots()) }], { zip64: true, comment: "saved elsewhere" });
    expect(readEngineBytes(zip).value.name).toBe("resnet_engine");
  });

  it.each<[string, () => Uint8Array, FormatErrorCode]>([
    ["a deflated entry", () => writeTestZip([{ name: "c/data.pkl", data: enginePickle(base64Slots()), method: 8 }]), "UNSUPPORTED_ZIP"],
    ["an encrypted entry", () => writeTestZip([{ name: "c/data.pkl", data: enginePickle(base64Slots()), flags: 1 }]), "UNSUPPORTED_ZIP"],
    ["a declared size larger than the file (zip bomb)", () => writeTestZip([{ name: "c/data.pkl", data: new Uint8Array(10), declaredBytes: 0x7fffffff }]), "BAD_ZIP"],
    ["a zip that is not a torch archive", () => writeTestZip([{ name: "readme.txt", data: new Uint8Array(3) }]), "NOT_A_MODEL_ARCHIVE"],
    ["an empty zip", () => writeTestZip([]), "NOT_A_MODEL_ARCHIVE"],
    ["a torch.save zip without an engine", () => writeTestZip([{ name: "c/data.pkl", data: Uint8Array.of(0x80, 2, 0x7d, 0x2e) }]), "NO_ENGINE"],
    ["an engine object whose state is not a tuple", () => writeTestZip([{ name: "c/data.pkl", data: Uint8Array.of(0x80, 2, 0x63, ...new TextEncoder().encode("torch.classes.tensorrt\nEngine\n"), 0x29, 0x81, 0x4e, 0x62, 0x2e) }]), "BAD_PICKLE_SHAPE"],
    ["an unknown ABI version", () => writeTestZip([{ name: "c/data.pkl", data: enginePickle(["99", "n", "0%9%0%0%GPU", "AAAA"]) }]), "UNSUPPORTED_ABI_VERSION"],
    ["an ExportedProgram whose constants config is not JSON", () => writeTestZip([{ name: "m/archive_format", data: new TextEncoder().encode("pt2") }, { name: "m/data/constants/model_constants_config.json", data: new TextEncoder().encode("{nope") }]), "BAD_ZIP"],
  ])("%s is a typed error", (_label, make, code) => {
    expect(codeOf(() => readEngineBytes(make()))).toBe(code);
  });
});
