/**
 * The committed real TensorRT fixtures, on the CPU (CI has no GPU): every
 * file the manifest names is there with its recorded sha256 and size, each
 * engine is a TensorRT plan (TensorRT's header, not the emulator's), its
 * inputs and references decode as .npy with the shapes the engine's I/O
 * says, and every fixture the builder could not make says why.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PLAN_MAGIC } from "@trt/emulator";
import { decodeNpy } from "@trt/sdk";
import { describe, expect, it } from "vitest";
import { committedMajors, FIXTURES_ROOT, readManifest } from "./support/fixtures.js";

/** The first four bytes of every serialized TensorRT engine seen so far ("ftrt"). */
const TENSORRT_PLAN_TAG = "ftrt";

const majors = committedMajors();

it("the repository holds real fixtures for at least one TensorRT major", () => {
  expect(majors.length).toBeGreaterThan(0);
});

describe.each(majors)("fixtures/trt%i", (major) => {
  const directory = join(FIXTURES_ROOT, `trt${major}`);
  const manifest = readManifest(directory);
  const built = manifest.fixtures.filter((f) => f.error === undefined && f.notCommitted === undefined && f.sha256 && f.engine && Object.keys(f.sha256).includes(f.engine));

  it("was built by TensorRT of this major, on a named GPU", () => {
    expect(manifest.major).toBe(major);
    expect(manifest.tensorrt.startsWith(`${major}.`)).toBe(true);
    expect(manifest.gpu).toBeTruthy();
  });

  it("says why for each fixture that was not built", () => {
    for (const f of manifest.fixtures.filter((f) => f.error !== undefined)) expect(f.error!.length).toBeGreaterThan(0);
  });

  it.each(built.map((f) => [f.name, f] as const))("%s: files match the manifest; the engine is a TensorRT plan", (_name, f) => {
    for (const [file, digest] of Object.entries(f.sha256!)) {
      const bytes = readFileSync(join(directory, file));
      expect(createHash("sha256").update(bytes).digest("hex"), file).toBe(digest);
    }
    const engine = readFileSync(join(directory, f.engine!));
    expect(engine.byteLength).toBe(f.bytes);
    expect(engine.subarray(0, 4).toString("latin1")).toBe(TENSORRT_PLAN_TAG);
    expect(engine.subarray(0, PLAN_MAGIC.length).toString("latin1")).not.toBe(PLAN_MAGIC);
  });

  it.each(built.map((f) => [f.name, f] as const))("%s: inputs and references have the engine's I/O shapes", (_name, f) => {
    const io = new Map((f.io ?? []).map((t) => [t.name, t]));
    for (const files of [f.inputs ?? {}, f.outputs ?? {}]) {
      for (const [key, file] of Object.entries(files)) {
        const name = key.split("@")[0]!;
        const spec = io.get(name);
        expect(spec, `${f.name}: ${name} is one of the engine's tensors`).toBeDefined();
        const array = decodeNpy(readFileSync(join(directory, file)));
        expect(array.shape.length).toBe(spec!.shape.length);
        // Dynamic (-1) dimensions match anything; the data-dependent output's count is the data's.
        spec!.shape.forEach((d, i) => {
          if (d >= 0) expect(array.shape[i]).toBe(d);
        });
      }
    }
  });
});
