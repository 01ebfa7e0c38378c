import { describe, expect, it } from "vitest";
import { trt10, trt11 } from "../src/abi/tables.generated.js";
import { RuntimeUnavailableError } from "../src/errors/index.js";
import { formatVersion, hasSince, parseLibVersion, selectAbiTable } from "../src/ffi/version.js";

describe("parseLibVersion", () => {
  it("splits major*10000 + minor*100 + patch", () => {
    expect(parseLibVersion(101600)).toEqual({ major: 10, minor: 16, patch: 0, raw: 101600 });
    expect(parseLibVersion(110102)).toEqual({ major: 11, minor: 1, patch: 2, raw: 110102 });
    expect(formatVersion(parseLibVersion(100302))).toBe("10.3.2");
  });

  it("refuses values that are not versions", () => {
    expect(() => parseLibVersion(0)).toThrow(RangeError);
    expect(() => parseLibVersion(-5)).toThrow(RangeError);
    expect(() => parseLibVersion(1.5)).toThrow(RangeError);
  });
});

describe("hasSince", () => {
  const v = parseLibVersion(101100);
  it("compares major, minor and patch, with missing parts as 0", () => {
    expect(hasSince(v, null)).toBe(true);
    expect(hasSince(v, "10.0.0")).toBe(true);
    expect(hasSince(v, "10.11")).toBe(true);
    expect(hasSince(v, "10.11.1")).toBe(false);
    expect(hasSince(v, "10.15")).toBe(false);
    expect(hasSince(v, "11.0")).toBe(false);
    expect(hasSince(parseLibVersion(110000), "10.15")).toBe(true);
  });
});

describe("selectAbiTable", () => {
  it("picks the table of the library's major", () => {
    expect(selectAbiTable(100000)).toBe(trt10);
    expect(selectAbiTable(101600)).toBe(trt10);
    expect(selectAbiTable(110100)).toBe(trt11);
    expect(selectAbiTable(parseLibVersion(110000))).toBe(trt11);
  });

  it("refuses an unsupported major, naming the version found and the supported majors", () => {
    for (const raw of [90000, 80601, 120000]) {
      let error: unknown;
      try {
        selectAbiTable(raw);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(RuntimeUnavailableError);
      const e = error as RuntimeUnavailableError;
      expect(e.code).toBe("RUNTIME_UNAVAILABLE");
      expect(e.component).toBe("tensorrt");
      expect(e.message).toContain(formatVersion(parseLibVersion(raw)));
      expect(e.message).toContain("10.x, 11.x");
      expect(e.message).toContain("TRT_NVINFER_PATH");
    }
  });
});
