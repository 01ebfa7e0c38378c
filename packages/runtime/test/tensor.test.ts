/** Tensor: data types, conversions, JS and device storage, copies, disposal and the finalizer safety net. */
import { describe, expect, it } from "vitest";
import { TensorRTEnvironment } from "../src/environment/environment.js";
import { InputError, ReleasedError } from "../src/errors/index.js";
import { byteLengthOf, DATA_TYPES, parseDataType } from "../src/tensor/dtype.js";
import { bf16BitsToFloat32, float32ToBf16Bits, float32ToHalfBits, halfBitsToFloat32 } from "../src/tensor/half.js";
import { Tensor } from "../src/tensor/tensor.js";
import { environmentFor, values } from "./support/runtime.js";

const device = environmentFor(10).device(0);

describe("data types", () => {
  it("knows every TensorRT type with its size; accepts common aliases", () => {
    expect(Object.keys(DATA_TYPES).sort()).toEqual(["bf16", "bool", "e8m0", "float", "fp4", "fp8", "half", "int32", "int4", "int64", "int8", "uint8"]);
    expect(Object.fromEntries(Object.values(DATA_TYPES).map((d) => [d.name, d.bits]))).toMatchObject({ float: 32, half: 16, bf16: 16, int64: 64, int4: 4, bool: 8 });
    expect(byteLengthOf("int4", 5)).toBe(3);
    expect(byteLengthOf("int64", 3)).toBe(24);
    expect(parseDataType("float32")).toBe("float");
    expect(parseDataType("bfloat16")).toBe("bf16");
    expect(parseDataType("float16")).toBe("half");
    expect(parseDataType("complex64")).toBeNull();
  });

  it("float16: round to nearest even, subnormals, overflow, NaN, signed zero", () => {
    expect(float32ToHalfBits(1)).toBe(0x3c00);
    expect(float32ToHalfBits(-2)).toBe(0xc000);
    expect(float32ToHalfBits(65504)).toBe(0x7bff);
    expect(float32ToHalfBits(65520)).toBe(0x7c00); // halfway to the next binade rounds up to infinity
    expect(float32ToHalfBits(2 ** -24)).toBe(1);
    expect(float32ToHalfBits(2 ** -25)).toBe(0); // tie to even: 0
    expect(float32ToHalfBits(3 * 2 ** -25)).toBe(2); // tie to even: 2
    expect(float32ToHalfBits(1 + 2 ** -11)).toBe(0x3c00); // tie to even
    expect(float32ToHalfBits(1 + 3 * 2 ** -11)).toBe(0x3c02);
    expect(float32ToHalfBits(-0)).toBe(0x8000);
    expect(float32ToHalfBits(Number.NaN) & 0x7e00).toBe(0x7e00);
    expect(halfBitsToFloat32(0x3555)).toBeCloseTo(0.33325, 5);
    expect(halfBitsToFloat32(1)).toBe(2 ** -24);
    expect(halfBitsToFloat32(0xfc00)).toBe(Number.NEGATIVE_INFINITY);
    expect(Object.is(halfBitsToFloat32(0x8000), -0)).toBe(true);
    for (let bits = 0; bits < 0x7c00; bits += 97) expect(float32ToHalfBits(halfBitsToFloat32(bits))).toBe(bits);
  });

  it("bfloat16: round to nearest even, NaN stays NaN", () => {
    expect(float32ToBf16Bits(1)).toBe(0x3f80);
    expect(float32ToBf16Bits(1 + 2 ** -8)).toBe(0x3f80);
    expect(float32ToBf16Bits(1 + 3 * 2 ** -8)).toBe(0x3f82);
    expect(float32ToBf16Bits(-3.5)).toBe(0xc060);
    expect(float32ToBf16Bits(Number.NaN)).toBe(0x7fc0);
    expect(bf16BitsToFloat32(0x3f80)).toBe(1);
    expect(bf16BitsToFloat32(0xff80)).toBe(Number.NEGATIVE_INFINITY);
  });
});

describe("Tensor.fromArray", () => {
  it("infers the data type from the array; views JS memory without copying", () => {
    const data = new Float32Array([1, 2, 3, 4, 5, 6]);
    const t = Tensor.fromArray(data, [2, 3]);
    expect(t).toMatchObject({ dtype: "float", shape: [2, 3], size: 6, byteLength: 24, device: "cpu", storage: "cpu", address: 0 });
    expect(t.hostData).toBe(data);
    expect(Tensor.fromArray(new BigInt64Array(2)).dtype).toBe("int64");
    expect(Tensor.fromArray(new Int8Array(2)).shape).toEqual([2]);
    expect(Tensor.fromArray(Buffer.from([1, 0, 1]), [3], { dtype: "bool" }).dtype).toBe("bool"); // a Buffer is a Uint8Array
    expect(String(t)).toBe("Tensor(float, [2, 3], cpu)");
  });

  it("half and bf16 from floats (converted) or from bits (as they are)", () => {
    const half = Tensor.fromArray(new Float32Array([1, 0.5, -2]), [3], { dtype: "float16" });
    expect(half.dtype).toBe("half");
    expect(values(half.toArraySync({ raw: true }))).toEqual([0x3c00, 0x3800, 0xc000]);
    expect(values(half.toArraySync())).toEqual([1, 0.5, -2]);
    const bits = Tensor.fromArray(new Uint16Array([0x3f80]), [1], { dtype: "bf16" });
    expect(values(bits.toArraySync())).toEqual([1]);
  });

  it("packed 4-bit types take their bytes; the shape counts values", () => {
    const t = Tensor.fromArray(new Uint8Array(3), [5], { dtype: "int4" });
    expect(t.byteLength).toBe(3);
    expect(() => Tensor.fromArray(new Uint8Array(3), [8], { dtype: "int4" })).toThrow(/4 bytes/);
  });

  it("refuses what it cannot make sense of, saying why", () => {
    const problem = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        expect(e).toBeInstanceOf(InputError);
        return (e as InputError).problem;
      }
      throw new Error("no error");
    };
    expect(problem(() => Tensor.fromArray(new Uint16Array(2)))).toBe("dtype");
    expect(problem(() => Tensor.fromArray(new Float64Array(2) as never))).toBe("dtype");
    expect(problem(() => Tensor.fromArray(new Int32Array(2), [2], { dtype: "float" }))).toBe("dtype");
    expect(problem(() => Tensor.fromArray(new Int32Array(2), [2], { dtype: "complex" as never }))).toBe("dtype");
    expect(problem(() => Tensor.fromArray(new Int32Array(6), [2, 2]))).toBe("size");
    expect(problem(() => Tensor.fromArray(new Int32Array(2), [2.5]))).toBe("shape");
    expect(problem(() => Tensor.fromArray(new Int32Array(1), [1, 1, 1, 1, 1, 1, 1, 1, 1]))).toBe("rank");
    expect(problem(() => Tensor.fromArray(new Int32Array(1), [1], { device: "tpu:0" }))).toBe("device");
  });
});

describe("device tensors", () => {
  it("copy to the device, read back, give the memory back once", async () => {
    const before = device.pool.stats();
    const t = Tensor.fromArray(new Int32Array([1, 2, 3]), [3], { device });
    expect(t).toMatchObject({ storage: "device", device: device.name });
    expect(t.address).not.toBe(0);
    expect(device.pool.stats().liveAllocations).toBe(before.liveAllocations + 1);
    expect(values(await t.toArray())).toEqual([1, 2, 3]);
    expect(values(t.toArraySync())).toEqual([1, 2, 3]);
    t.dispose();
    t.dispose();
    expect(t.disposed).toBe(true);
    expect(device.pool.stats().liveAllocations).toBe(before.liveAllocations);
    expect(device.pool.stats().frees).toBe(before.frees + 1);
    await expect(t.toArray()).rejects.toBeInstanceOf(ReleasedError);
  });

  it("device strings name the default environment's devices", () => {
    const environment = environmentFor(10);
    const previous = TensorRTEnvironment.setDefault(environment);
    try {
      // The default environment has host:0 (host-mode emulator) or cuda:N; the other kind is refused.
      const own = environment.device(0).name;
      const other = own.startsWith("host") ? "cuda:0" : "host:0";
      using t = Tensor.fromArray(new Float32Array(2), [2], { device: own });
      expect(t.device).toBe(own);
      expect(() => Tensor.fromArray(new Float32Array(2), [2], { device: other })).toThrow(InputError);
    } finally {
      TensorRTEnvironment.setDefault(previous);
    }
  });

  it("copyTo: to JS memory, and to the same device (shared memory, freed when both are disposed)", async () => {
    const before = device.pool.stats().liveAllocations;
    const t = Tensor.fromArray(new Float32Array([1, 2]), [2], { device });
    const host = await t.copyTo("cpu");
    expect(host.storage).toBe("cpu");
    expect(values(host.toArraySync())).toEqual([1, 2]);
    const same = await t.copyTo(device);
    expect(same.address).toBe(t.address);
    t.dispose();
    expect(values(await same.toArray())).toEqual([1, 2]);
    expect(device.pool.stats().liveAllocations).toBe(before + 1);
    same.dispose();
    expect(device.pool.stats().liveAllocations).toBe(before);
    using back = host.copyToSync(device);
    expect(values(back.toArraySync())).toEqual([1, 2]);
  });

  it("fromAddress borrows: disposing never frees the caller's memory", () => {
    const address = device.pool.alloc(16);
    const t = Tensor.fromAddress(address, { dtype: "float32", shape: [4], device });
    t.dispose();
    expect(device.pool.owns(address)).toBe(true);
    device.pool.free(address);
  });

  it.runIf(typeof globalThis.gc === "function")("the finalizer frees tensors nobody disposed, exactly once", async () => {
    // Let earlier tests' garbage be finalized first, so only this test's tensors are counted.
    for (let i = 0; i < 3; i++) {
      globalThis.gc!();
      await new Promise((r) => setTimeout(r, 5));
    }
    const before = device.pool.stats();
    (() => {
      for (let i = 0; i < 50; i++) Tensor.fromArray(new Float32Array(4), [4], { device });
    })();
    const disposed = Tensor.fromArray(new Float32Array(4), [4], { device });
    disposed.dispose();
    for (let i = 0; i < 50 && device.pool.stats().finalizerFrees < before.finalizerFrees + 50; i++) {
      globalThis.gc!();
      await new Promise((r) => setTimeout(r, 5));
    }
    const after = device.pool.stats();
    expect(after.finalizerFrees - before.finalizerFrees).toBe(50);
    expect(after.liveAllocations).toBe(before.liveAllocations);
    expect(after.frees - before.frees).toBe(51);
  });
});
