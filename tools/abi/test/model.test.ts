import { describe, expect, it } from "vitest";
import { buildModel } from "../src/model.js";
import type { MethodEntry } from "../src/schema.js";
import { loadData } from "../src/generate.js";
import { classify, parameterType } from "../src/types.js";

const enums = new Set(["DataType", "Severity"]);

describe("C++ type classification", () => {
  it.each([
    ["char const* tensorName", "cstr"],
    ["Dims const& dims", "dimsPtr"],
    ["IProfiler*", "ptr"],
    ["cudaStream_t stream", "ptr"],
    ["uint64_t const size", "u64"],
    ["std::size_t size", "u64"],
    ["Severity severity", "i32"],
    ["float ms", "f32"],
    ["bool", "bool"],
  ])("%s travels as %s", (param, expected) => {
    expect(classify(parameterType(param), enums)).toBe(expected);
  });

  it("refuses a type it cannot place rather than guessing", () => {
    expect(() => classify("TacticSources", enums)).toThrow(/no ABI mapping for C\+\+ type "TacticSources"/);
  });
});

describe("model checks", () => {
  it("rejects a slot past the vtable size", () => {
    const data = loadData(10);
    data.vtableSize["VHostMemory"] = 4;
    expect(() => buildModel(data)).toThrow(/VHostMemory.type slot 4 is past the vtable size 4/);
  });

  it("rejects an overload listed twice without an id", () => {
    const data = loadData(10);
    data.implClasses["VHostMemory"]!.push({ ...data.implClasses["VHostMemory"]![0]!, slot: 0 });
    expect(() => buildModel(data)).toThrow(/listed twice/);
  });

  it("rejects an interface table with a hole, since an implementer would leave that slot empty", () => {
    const data = loadData(10);
    data.pluginInterfaces["ILoggerFinder"]!.slots.splice(1, 1);
    expect(() => buildModel(data)).toThrow(/ILoggerFinder lists slot 2 at position 1/);
  });

  it("rejects an interface table whose destructors are not side by side", () => {
    const data = loadData(10);
    const slots = data.pluginInterfaces["IPluginCreator"]!.slots;
    slots[3] = { ...slots[4]!, slot: 3 };
    slots[4] = { slot: 4, name: "destructor (deleting)" } as MethodEntry; // destructor entries carry no signature, as in the data
    expect(() => buildModel(data)).toThrow(/IPluginCreator needs "destructor \(complete\)" followed by "destructor \(deleting\)"/);
  });

  it.each([
    [10, { loadLibrary: 10, getAllCreators: 13, getCreator: 14 }],
    [11, { loadLibrary: 6, getAllCreators: 9, getCreator: 10 }],
  ] as const)("places the plugin registry's methods where TensorRT %i has them", (major, slots) => {
    const registry = buildModel(loadData(major)).pluginInterfaces.find((i) => i.name === "IPluginRegistry")!;
    for (const [name, slot] of Object.entries(slots)) expect(registry.methods.find((m) => m.id === name)?.slot, name).toBe(slot);
    expect(registry.methods.find((m) => m.id === "loadLibrary")).toMatchObject({ returns: "ptr", params: ["cstr"] });
  });

  it("names the creator kinds a registry hands out, so a caller can tell their layouts apart", () => {
    const model = buildModel(loadData(10));
    const info = Object.fromEntries(model.pluginInterfaces.map((i) => [i.name, i.interfaceInfo?.[0] ?? null]));
    expect(info).toMatchObject({ IPluginCreator: "PLUGIN CREATOR_V1", IPluginCreatorV3One: "PLUGIN CREATOR_V3ONE" });
    const v1 = model.pluginInterfaces.find((i) => i.name === "IPluginCreator")!;
    const v3 = model.pluginInterfaces.find((i) => i.name === "IPluginCreatorV3One")!;
    expect(v1.methods.find((m) => m.id === "getPluginName")?.slot).toBe(4);
    expect(v3.methods.find((m) => m.id === "getPluginName")?.slot).toBe(6);
  });

  it("returns Dims64 by value where TensorRT does", () => {
    const engine = buildModel(loadData(11)).implClasses.find((c) => c.name === "VCudaEngine")!;
    expect(engine.methods.find((m) => m.id === "getTensorShape")).toMatchObject({ slot: 15, returns: "dims", params: ["cstr"] });
  });
});
