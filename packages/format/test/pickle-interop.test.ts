// Python interop: fixtures written by python3's pickle (test/fixtures/make_fixtures.py,
// run by the global setup) are read here; files written here are loaded by python3.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, inject, it } from "vitest";
import { decodeMetadata, encodeContainer, encodeTuple, readPickledTuple, writePickledTuple } from "../src/index.js";
import { readPickledTupleWithInfo } from "../src/pickle-entry.js";
import { expectFormatError, hex, pattern, sampleEngine } from "./helpers.js";

const fixtures = inject("pythonFixtures");
const here = dirname(fileURLToPath(import.meta.url));

interface Manifest {
  engine_hex: string;
  files: Record<string, { protocol: number; shape: string; encoding: string; abi: string; inputs: string[] }>;
}

describe.skipIf(fixtures === null)("python3 interop", () => {
  const dir = fixtures as string;
  const manifest = (): Manifest => JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as Manifest;
  const read = (name: string): Uint8Array => new Uint8Array(readFileSync(join(dir, name)));

  it("reads every pickle python3 wrote: protocols 0-5, list/extra state, bytes/base64/bytearray, old ABIs", () => {
    const m = manifest();
    expect(Object.keys(m.files).length).toBeGreaterThanOrEqual(30);
    for (const [name, want] of Object.entries(m.files)) {
      const info = readPickledTupleWithInfo(read(name));
      expect(info.protocol, name).toBe(want.protocol >= 2 ? want.protocol : null);
      expect(info.shape, name).toBe(want.shape);
      expect(info.engineEncoding, name).toBe(want.encoding);
      expect(info.value.abiVersion, name).toBe(want.abi);
      expect(hex(info.value.engine), name).toBe(m.engine_hex);
      expect(info.value.device.deviceName, name).toBe("NVIDIA H100 80GB HBM3");
      expect(info.value.inputBindingNames, name).toEqual(want.inputs);
    }
  });

  it("reads the full v10 fields from a Python list", () => {
    const v = readPickledTuple(read("list_p5_bytes.pkl"));
    expect(v).toMatchObject({
      name: "demo_engine",
      hardwareCompatible: true,
      targetPlatform: "linux_x86_64",
      requiresOutputAllocator: false,
      resourceAllocationStrategy: "dynamic",
      requiresNativeMultiDevice: false,
      aliasedIO: [{ output: "y", input: "x", kind: "kv_cache_update" }],
    });
  });

  it("refuses a pickle that would run code, and describes it as metadata", () => {
    const err = expectFormatError(() => readPickledTuple(read("evil.pkl")), "UNSUPPORTED_PICKLE_GLOBAL");
    expect(err.found).toMatch(/(posix|os|nt)\.system/);
  });

  it("renders Torch-TensorRT-like metadata at every protocol", () => {
    for (const p of [2, 3, 4, 5]) {
      const view = decodeMetadata(readFileSync(join(dir, `metadata_p${p}.b64`), "utf8"));
      expect(view.status, `protocol ${p}`).toBe("decoded");
      expect(view.protocol).toBe(p);
      expect(view.classes).toContain("__main__.Settings");
      expect(view.value).toMatchObject({
        settings: {
          $class: "__main__.Settings",
          state: { workspace_size: 1 << 30, debug: false, enabled_precisions: { $set: [{ $class: "__main__.Precision", args: [1] }] } },
        },
        inout_symexprs: { $dict: [["x", [1, 2.5, null]], [3, "int key"]] },
        output_tensors_are_unowned: false,
        big: { $int: (2n ** 80n).toString() },
        nan: { $float: "nan" },
        blob: { $bytes: 2, hex: "0001" },
        ordered: { a: 1 },
        frozen: { $frozenset: [1] },
        loop: [1, 2, { $cycle: true }],
      });
    }
  });

  // Starts python3 (about 0.2 s alone): bounded for two busy cores.
  it("python3 loads what the writer produces, for every protocol, shape and engine encoding", () => {
    const out = mkdtempSync(join(tmpdir(), "trt-format-written-"));
    try {
      const value = sampleEngine(pattern(3000));
      const files: object[] = [];
      for (const protocol of [2, 3, 4, 5] as const) {
        for (const shape of ["list", "extra_state"] as const) {
          for (const engineAs of ["bytes", "base64"] as const) {
            if (shape === "extra_state" && engineAs === "base64") continue; // extra state always stores base64 bytes
            const path = join(out, `w_${protocol}_${shape}_${engineAs}.pkl`);
            writeFileSync(path, writePickledTuple(value, { protocol, shape, engineAs }));
            files.push({ kind: "pickle", path, shape, engineAs });
          }
        }
      }
      const container = join(out, "c.trtengine");
      writeFileSync(container, encodeContainer(value));
      files.push({ kind: "container", path: container });
      const slots = encodeTuple(value).map((s) => (typeof s === "string" ? s : ""));
      const spec = { slots, engine_hex: hex(value.engine), name: value.name, inputs: value.inputBindingNames, outputs: value.outputBindingNames, files };
      writeFileSync(join(out, "spec.json"), JSON.stringify(spec));
      // Killed rather than left blocking the worker (spawnSync) if python3 hangs.
      const run = spawnSync("python3", [join(here, "fixtures", "check_written.py"), join(out, "spec.json")], { encoding: "utf8", timeout: 90_000 });
      expect(run.stderr).toBe("");
      expect(run.status).toBe(0);
      const results = JSON.parse(run.stdout) as Record<string, string>;
      expect(Object.keys(results)).toHaveLength(files.length);
      for (const [path, result] of Object.entries(results)) expect(result, path).toBe("ok");
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 120_000);
});
