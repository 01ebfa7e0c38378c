/** Method resolution refuses slots the loaded library's vtable does not have yet. */
import { describe, expect, it } from "vitest";
import { trt10 } from "../src/abi/tables.generated.js";
import { RuntimeUnavailableError } from "../src/errors/index.js";
import { ClassBinding } from "../src/ffi/vtable.js";
import { parseLibVersion } from "../src/ffi/version.js";

describe("ClassBinding", () => {
  it("refuses methods newer than the library before touching memory", () => {
    const old = new ClassBinding(trt10, parseLibVersion(100000), "VCudaEngine");
    expect(old.has("getNbIOTensors")).toBe(true);
    expect(old.has("getDeviceMemorySizeV2")).toBe(false); // 10.1
    expect(old.has("getAliasedInputTensor")).toBe(false); // 10.15
    let error: unknown;
    try {
      old.method(0, "getAliasedInputTensor");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RuntimeUnavailableError);
    expect((error as RuntimeUnavailableError).message).toContain("10.15");
    expect((error as RuntimeUnavailableError).message).toContain("10.0.0");
    const current = new ClassBinding(trt10, parseLibVersion(101600), "VCudaEngine");
    expect(current.has("getAliasedInputTensor")).toBe(true);
  });
});
