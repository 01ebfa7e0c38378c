/**
 * Making modules: from a container file, a pickle, a tuple (raw or decoded)
 * and raw engine bytes; binding names derived or checked; what save() and
 * toTuple() record (device, platform, the original engine bytes).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSerializedEngine, decodeTuple, encodeTuple, FormatError, writePickledTuple } from "@trt/format";
import { readEngineFileSync, writeEngineFile } from "@trt/format/node";
import { afterAll, describe, expect, it } from "vitest";
import { InputError } from "../src/errors/index.js";
import { TensorRTModule } from "../src/module/module.js";
import { currentTargetPlatform } from "../src/placement/platform.js";
import { base64Slots, enginesPickle } from "../../format/test/torch-pickles.js";
import { writeTestZip } from "../../format/test/zip-writer.js";
import { environmentFor, plan, values } from "./support/runtime.js";

const environment = environmentFor(10);
const dir = mkdtempSync(join(tmpdir(), "trt-sources-"));
const modules: TensorRTModule[] = [];
const keep = (m: TensorRTModule) => (modules.push(m), m);
afterAll(() => {
  modules.forEach((m) => m.release());
  rmSync(dir, { recursive: true, force: true });
});

const h100 = { gpuId: 0, smMajor: 9, smMinor: 0, deviceType: 0, deviceName: "NVIDIA H100 80GB HBM3" };

describe("sources", () => {
  it("raw engine bytes: names and binding order from the engine, or as given", async () => {
    const derived = keep(await TensorRTModule.fromEngine(plan("concat"), { environment }));
    expect(derived.name).toBe("concat");
    expect(derived.inputNames).toEqual(["a", "b", "c"]);
    const reordered = keep(
      await TensorRTModule.fromEngine(plan("concat"), { environment, name: "joined", inputBindingNames: ["c", "a", "b"], outputBindingNames: ["y"] }),
    );
    expect(reordered.name).toBe("joined");
    expect(reordered.inputNames).toEqual(["c", "a", "b"]);
    expect(reordered.inputs.map((i) => [i.name, i.position, i.ioIndex])).toEqual([["c", 0, 2], ["a", 1, 0], ["b", 2, 1]]);
    // Positional inputs follow the binding order.
    using r = await reordered.run([
      { data: new Float32Array([6]), shape: [1, 1] },
      { data: new Float32Array([1, 2]), shape: [1, 2] },
      { data: new Float32Array([3, 4, 5]), shape: [1, 3] },
    ]);
    expect(values(await r.outputs.y!.toArray())).toEqual([1, 2, 3, 4, 5, 6]);
    expect(reordered.toSerializedEngine().inputBindingNames).toEqual(["c", "a", "b"]);
  });

  it("binding names that do not match the engine are refused, naming the culprit", async () => {
    await expect(TensorRTModule.fromEngine(plan("concat"), { environment, inputBindingNames: ["a", "b", "z"] })).rejects.toMatchObject({
      problem: "name",
      tensor: "z",
      message: expect.stringMatching(/not in the engine: z; missing: c/),
    });
    await expect(TensorRTModule.fromEngine(plan("identity_f32"), { environment, outputBindingNames: ["x"] })).rejects.toBeInstanceOf(InputError);
  });

  it("a tuple (raw slots or decoded), a container file and a pickle all load", async () => {
    const record = createSerializedEngine({ engine: plan("identity_f32"), name: "ident", device: h100, inputBindingNames: ["x"], outputBindingNames: ["y"] });
    const tuple = encodeTuple(record);
    const fromRaw = keep(await TensorRTModule.fromTuple(tuple, { environment }));
    const fromRecord = keep(await TensorRTModule.fromTuple(record, { environment }));
    const container = join(dir, "ident.trtengine");
    await writeEngineFile(container, record);
    const fromFile = keep(await TensorRTModule.load(container, { environment }));
    const pickle = join(dir, "ident.pkl");
    writeFileSync(pickle, writePickledTuple(record, { protocol: 4 }));
    const fromPickle = keep(await TensorRTModule.load(pickle, { environment }));
    for (const m of [fromRaw, fromRecord, fromFile, fromPickle]) {
      expect(m.name).toBe("ident");
      using r = await m.run({ x: new Float32Array([1, 2, 3, 4, 5, 6]) });
      expect((await r.outputs.y!.toArray())[5]).toBe(6);
    }
    await expect(TensorRTModule.fromTuple(42 as never, { environment })).rejects.toBeInstanceOf(InputError);
  });

  it("save and toTuple: the original bytes, this platform, the GPU used (on the host stand-in, the record as given)", async () => {
    const record = createSerializedEngine({ engine: plan("mlp3"), name: "mlp", device: h100, metadata: "opaque", hardwareCompatible: true });
    const m = keep(await TensorRTModule.fromTuple(record, { environment }));
    const saved = m.toSerializedEngine();
    const props = m.device.properties;
    const used =
      m.device.kind === "host"
        ? h100
        : { gpuId: m.device.ordinal, smMajor: props.major, smMinor: props.minor, deviceType: 0, deviceName: props.name };
    expect(saved).toMatchObject({
      abiVersion: "9", // made here, not read from a file: the newest released ABI
      name: "mlp",
      device: used,
      targetPlatform: currentTargetPlatform(),
      metadata: "opaque",
      hardwareCompatible: true,
      inputBindingNames: ["x"],
      outputBindingNames: ["y"],
    });
    expect(saved.engine).toBe(record.engine);
    const path = join(dir, "mlp.trtengine");
    await m.save(path);
    m.saveSync(join(dir, "mlp-sync.trtengine"));
    expect(readFileSync(path).equals(readFileSync(join(dir, "mlp-sync.trtengine")))).toBe(true);
    expect(decodeTuple(m.toTuple())).toEqual(saved);
    // Raw bytes with no device record: the host describes itself.
    const raw = keep(await TensorRTModule.fromEngine(plan("identity_f32"), { environment }));
    const expectedRaw =
      raw.device.kind === "host" ? { gpuId: 0, smMajor: 0, smMinor: 0, deviceType: 0, deviceName: "host (no GPU)" } : used;
    expect(raw.toSerializedEngine().device).toEqual(expectedRaw);
  });

  it("saves in the ABI the module was read from, or the one asked for, refusing one that cannot carry its fields", async () => {
    // As a Torch-TensorRT 2.11 archive holds it: ABI "8", 11 slots.
    const from211 = decodeTuple(encodeTuple(createSerializedEngine({ engine: plan("mlp3"), name: "mlp", device: h100 }), { abi: "8" }));
    const m = keep(await TensorRTModule.fromTuple(from211, { environment }));
    expect(m.toTuple()).toHaveLength(11);
    const path = join(dir, "mlp-abi.trtengine");
    await m.save(path);
    expect(readEngineFileSync(path).abiVersion).toBe("8");
    m.saveSync(path, { abi: "10" });
    expect(readEngineFileSync(path).abiVersion).toBe("10");
    await m.save(path, { abi: "9", format: "pickle" });
    expect(readEngineFileSync(path).abiVersion).toBe("9");
    expect(m.toTuple({ abi: "9" })).toHaveLength(12);
    // A module whose engine aliases an output to an input cannot be written for 2.12/2.13 (ABI "9").
    const aliasedRecord = createSerializedEngine({ engine: plan("aliased"), aliasedIO: [{ output: "cache_out", input: "cache", kind: "kv_cache_update" }] });
    const aliased = keep(await TensorRTModule.fromTuple(aliasedRecord, { environment }));
    expect(aliased.toTuple()[0]).toBe("10"); // the default moves on to the ABI that carries the aliases
    const error = await aliased.save(join(dir, "aliased.trtengine"), { abi: "9" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FormatError);
    expect((error as FormatError).code).toBe("FIELD_NOT_IN_ABI");
    expect(existsSync(join(dir, "aliased.trtengine"))).toBe(false);
  });

  it("the platform slot uses Torch-TensorRT's spelling", () => {
    expect(currentTargetPlatform("linux", "x64")).toBe("linux_x86_64");
    expect(currentTargetPlatform("linux", "arm64")).toBe("linux_aarch64");
    expect(currentTargetPlatform("win32", "x64")).toBe("windows_x86_64");
    expect(currentTargetPlatform("darwin", "arm64")).toBe("unknown");
  });

  it("a dynamic resource-allocation strategy gives each run its own scratch memory", async () => {
    const record = createSerializedEngine({ engine: plan("mlp3"), resourceAllocationStrategy: "dynamic" });
    const m = keep(await TensorRTModule.fromTuple(record, { environment }));
    const before = m.device.pool.stats();
    using r = await m.run({ x: { data: new Float32Array(32), shape: [2, 16] } });
    const after = m.device.pool.stats();
    // x (copied in), y, and the scratch: the scratch and x went back when the run was done.
    expect(after.allocations - before.allocations).toBe(3);
    expect(after.liveAllocations - before.liveAllocations).toBe(1);
    expect(r.outputs.y!.shape).toEqual([2, 8]);
  });
});

describe("files users have: raw plans and torch archives", () => {
  it("a raw plan (file or bytes): name and binding order from the engine; order can be overridden", async () => {
    const path = join(dir, "concat.engine");
    writeFileSync(path, plan("concat"));
    const fromFile = keep(await TensorRTModule.load(path, { environment }));
    const fromBytes = keep(await TensorRTModule.load(new Uint8Array(readFileSync(path)), { environment }));
    for (const m of [fromFile, fromBytes]) {
      expect(m.name).toBe("concat");
      expect(m.inputNames).toEqual(["a", "b", "c"]);
      expect(m.outputNames).toEqual(["y"]);
    }
    const reordered = keep(await TensorRTModule.load(path, { environment, inputBindingNames: ["c", "b", "a"] }));
    expect(reordered.inputNames).toEqual(["c", "b", "a"]);
    using r = await reordered.run([
      { data: new Float32Array([6]), shape: [1, 1] },
      { data: new Float32Array([3, 4, 5]), shape: [1, 3] },
      { data: new Float32Array([1, 2]), shape: [1, 2] },
    ]);
    expect(values(await r.outputs.y!.toArray())).toEqual([1, 2, 3, 4, 5, 6]);
    // Saved back, the plan becomes a tuple with the names it ran with.
    expect(reordered.toSerializedEngine().inputBindingNames).toEqual(["c", "b", "a"]);
  });

  it("a TorchScript archive with two engines: refused without a choice (listing both), then loaded by index, path or name", async () => {
    const slots = (name: string, engine: Uint8Array, inputs: string[]): string[] =>
      base64Slots(createSerializedEngine({ engine, name, device: h100, inputBindingNames: inputs, outputBindingNames: ["y"] }));
    const path = join(dir, "model.ts");
    writeFileSync(
      path,
      writeTestZip([
        {
          name: "model/data.pkl",
          data: enginesPickle([
            ["_run_on_acc_0", slots("ident_engine", plan("identity_f32"), ["x"])],
            ["_run_on_acc_1", slots("concat_engine", plan("concat"), ["c", "b", "a"])],
          ]),
        },
        { name: "model/code/__torch__/model.py", data: new Uint8Array(0) },
      ]),
    );
    await expect(TensorRTModule.load(path, { environment })).rejects.toMatchObject({
      code: "AMBIGUOUS_ENGINE",
      message: expect.stringMatching(/0: _run_on_acc_0 \(engine "ident_engine".*1: _run_on_acc_1 \(engine "concat_engine"/),
    });
    for (const engine of [1, "_run_on_acc_1", "concat_engine"]) {
      const m = keep(await TensorRTModule.load(path, { environment, engine }));
      expect(m.name).toBe("concat_engine");
      expect(m.inputNames).toEqual(["c", "b", "a"]);
    }
    const ident = keep(await TensorRTModule.load(path, { environment, engine: 0 }));
    using r = await ident.run({ x: new Float32Array([1, 2, 3, 4, 5, 6]) });
    expect(values(await r.outputs.y!.toArray())).toEqual([1, 2, 3, 4, 5, 6]);
    await expect(TensorRTModule.load(path, { environment, engine: "nope" })).rejects.toMatchObject({ code: "ENGINE_NOT_FOUND" });
  });
});
