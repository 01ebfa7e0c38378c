import { describe, expect, it } from "vitest";

import { DTYPES, dtypeByteSize, dtypeCode, dtypeFromCode, isArithmeticDType, isDTypeName } from "../src/index.js";

describe("dtypes", () => {
  it("use TensorRT's DataType codes", () => {
    expect(DTYPES.map((d) => [d, dtypeCode(d)])).toEqual([
      ["float32", 0],
      ["float16", 1],
      ["int8", 2],
      ["int32", 3],
      ["bool", 4],
      ["uint8", 5],
      ["bfloat16", 7],
      ["int64", 8],
    ]);
  });

  it("know their sizes", () => {
    expect(DTYPES.map(dtypeByteSize)).toEqual([4, 2, 1, 4, 1, 1, 2, 8]);
  });

  it("map codes back, and refuse types the emulator does not run", () => {
    expect(dtypeFromCode(7)).toBe("bfloat16");
    expect(dtypeFromCode(6)).toBeUndefined(); // FP8
    expect(dtypeFromCode(9)).toBeUndefined(); // INT4
  });

  it("tell names and arithmetic types apart", () => {
    expect(isDTypeName("int64")).toBe(true);
    expect(isDTypeName("float64")).toBe(false);
    expect(isDTypeName("toString")).toBe(false);
    expect(isArithmeticDType("bool")).toBe(false);
    expect(isArithmeticDType("uint8")).toBe(true);
  });
});
