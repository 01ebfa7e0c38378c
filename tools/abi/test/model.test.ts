import { describe, expect, it } from "vitest";
import { buildModel } from "../src/model.js";
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

  it("returns Dims64 by value where TensorRT does", () => {
    const engine = buildModel(loadData(11)).implClasses.find((c) => c.name === "VCudaEngine")!;
    expect(engine.methods.find((m) => m.id === "getTensorShape")).toMatchObject({ slot: 15, returns: "dims", params: ["cstr"] });
  });
});
