import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { encodeContainer, FormatError, formatErrorMessage, rephraseFormatError } from "../src/index.js";
import {
  readEngineFile,
  readEngineFileSync,
  readEngineFileWithSource,
  readEngineFileWithSourceSync,
  writeEngineFile,
  writeEngineFileSync,
} from "../src/node.js";
import { expectFormatErrorAsync, expectSameBytes, flip, pattern, sampleEngine } from "./helpers.js";

const dir = mkdtempSync(join(tmpdir(), "trt-format-files-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const withoutEngine = <T extends { engine: Uint8Array }>(v: T): Omit<T, "engine"> & { engine: null } => ({ ...v, engine: null });

describe("@trt/format/node", () => {
  it("writes a container (streaming, via temp + rename) and reads it back, async and sync", async () => {
    const value = sampleEngine(pattern(2_500_000));
    const path = join(dir, "a.trtengine");
    await writeEngineFile(path, value);
    expectSameBytes(new Uint8Array(readFileSync(path)), encodeContainer(value));
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    const read = await readEngineFileWithSource(path);
    expect(read.source).toEqual({ kind: "container", version: 1, checksum: "verified" });
    expect(read.fileBytes).toBe(readFileSync(path).length);
    expect(withoutEngine(read.value)).toEqual(withoutEngine(value));
    expectSameBytes(read.value.engine, value.engine);
    // The engine has a buffer of its own, exactly its size: read once, not sliced from a file copy.
    expect(read.value.engine.byteLength).toBe(read.value.engine.buffer.byteLength);
    const sync = readEngineFileSync(path);
    expectSameBytes(sync.engine, value.engine);
  });

  it("overwrites atomically and validates before touching the disk", async () => {
    const path = join(dir, "b.trtengine");
    writeEngineFileSync(path, sampleEngine(pattern(10)));
    const before = readFileSync(path);
    await expect(writeEngineFile(path, { ...sampleEngine(), inputBindingNames: ["%"] })).rejects.toBeInstanceOf(FormatError);
    expect(() => writeEngineFileSync(path, { ...sampleEngine(), outputBindingNames: [""] })).toThrow(FormatError);
    expect(readFileSync(path)).toEqual(before);
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("writes the Torch-TensorRT ABI asked for, and refuses one that drops a field before creating any file", async () => {
    const value = { ...sampleEngine(pattern(10)), aliasedIO: [], requiresNativeMultiDevice: false };
    const container = join(dir, "abi8.trtengine");
    await writeEngineFile(container, value, { abi: "8" });
    expect(readEngineFileSync(container).abiVersion).toBe("8");
    const pickle = join(dir, "abi9.pkl");
    writeEngineFileSync(pickle, value, { abi: "9", format: "pickle", pickle: { abi: "8" } }); // the top-level abi wins
    expect((await readEngineFile(pickle)).abiVersion).toBe("9");
    const before = readdirSync(dir).length;
    await expectFormatErrorAsync(writeEngineFile(join(dir, "never.trtengine"), sampleEngine(), { abi: "9" }), "FIELD_NOT_IN_ABI");
    expect(readdirSync(dir)).toHaveLength(before);
  });

  it("reads and writes pickle files, telling them apart from containers by their first bytes", async () => {
    const value = sampleEngine(pattern(5000));
    const path = join(dir, "c.pkl");
    await writeEngineFile(path, value, { format: "pickle", pickle: { protocol: 3 } });
    const read = await readEngineFileWithSource(path);
    expect(read.source).toEqual({ kind: "pickle", protocol: 3, shape: "list", engineEncoding: "bytes" });
    expectSameBytes(read.value.engine, value.engine);
    expect(readEngineFileWithSourceSync(path).source.kind).toBe("pickle");
  });

  it("bytes of no known layout: BAD_MAGIC naming every accepted format, with the WRAP_RAW_ENGINE remedy for tools", async () => {
    const raw = join(dir, "model.engine");
    writeFileSync(raw, pattern(4096)); // no container, pickle, plan or zip header
    const err = await expectFormatErrorAsync(readEngineFile(raw), "BAD_MAGIC");
    expect(err.remedy).toBe("WRAP_RAW_ENGINE");
    expect(err.message).toMatch(/^expected an engine file: a \.trtengine container, a pickled engine tuple, a TensorRT plan, or a TorchScript \/ ExportedProgram archive, found first bytes [0-9a-f ]+\. Check the path\. .*writeEngineFile\(\)\.$/);
    expect(err.message).not.toMatch(/trt convert/);
    expect(formatErrorMessage({ ...err, hint: "Another hint." })).toBe(`expected ${err.expected}, found ${err.found}. Another hint.`);
    // A tool's own wording for the remedy; none for remedies it has no hint for.
    expect(rephraseFormatError(err, { WRAP_RAW_ENGINE: "Run `tool wrap`." })).toBe(`expected ${err.expected}, found ${err.found}. Run \`tool wrap\`.`);
    expect(rephraseFormatError(err, { CHOOSE_ENGINE: "Pick one." })).toBe(err.message);
    expect(() => readEngineFileSync(raw)).toThrow(expect.objectContaining({ code: "BAD_MAGIC", remedy: "WRAP_RAW_ENGINE" }));
  });

  it("reports bad files as FormatErrors and I/O problems as Node errors", async () => {
    const empty = join(dir, "empty");
    writeFileSync(empty, "");
    await expectFormatErrorAsync(readEngineFile(empty), "BAD_MAGIC");
    const text = join(dir, "text");
    writeFileSync(text, "this is not an engine file at all");
    await expectFormatErrorAsync(readEngineFile(text), "BAD_MAGIC");
    const bytes = encodeContainer(sampleEngine(pattern(200_000)));
    const cut = join(dir, "cut.trtengine");
    writeFileSync(cut, bytes.subarray(0, 150_000));
    await expectFormatErrorAsync(readEngineFile(cut), "LENGTH_OUT_OF_RANGE");
    const corrupt = join(dir, "corrupt.trtengine");
    const damaged = bytes.slice();
    flip(damaged, 100_000);
    writeFileSync(corrupt, damaged);
    await expectFormatErrorAsync(readEngineFile(corrupt), "CHECKSUM_MISMATCH");
    expect((await readEngineFile(corrupt, { verifyChecksum: false })).engine.length).toBe(200_000);
    await expect(readEngineFile(join(dir, "missing"))).rejects.toMatchObject({ code: "ENOENT" });
  });
});
