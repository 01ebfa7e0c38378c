/**
 * Host memory for native code beyond koffi.alloc's 2 GiB: a plan over 2 GB
 * (weight-streamed engines are) is copied into one such block before
 * TensorRT deserializes it on the ffi engine.
 */
import { describe, expect, it } from "vitest";
import { allocNative, copyFromNative, copyIntoNative, freeNative, isNativeAllocation, nativeMemoryStats } from "../src/device/native-memory.js";

const GIB = 2 ** 30;

describe("allocNative", () => {
  it("hands out aligned, zeroed blocks over 2 GiB that take writes past the 2 GiB mark and free cleanly", () => {
    const before = nativeMemoryStats();
    const bytes = 2 * GIB + 4096;
    const address = allocNative(bytes, 256);
    try {
      expect(address % 256).toBe(0);
      expect(isNativeAllocation(address)).toBe(true);
      expect(nativeMemoryStats().liveBytes - before.liveBytes).toBe(bytes);
      const far = address + 2 * GIB + 16;
      expect(Array.from(copyFromNative(far, 64))).toEqual(new Array(64).fill(0));
      const pattern = Uint8Array.from({ length: 64 }, (_, i) => (i * 7 + 3) & 0xff);
      copyIntoNative(far, pattern);
      expect(Array.from(copyFromNative(far, 64))).toEqual(Array.from(pattern));
      expect(Array.from(copyFromNative(far - 64, 64))).toEqual(new Array(64).fill(0));
    } finally {
      expect(freeNative(address)).toBe(true);
    }
    expect(isNativeAllocation(address)).toBe(false);
    expect(nativeMemoryStats()).toEqual(before);
  });

  it("still zeroes and frees small blocks, and refuses sizes that are not byte counts", () => {
    const address = allocNative(100, 64);
    expect(address % 64).toBe(0);
    expect(Array.from(copyFromNative(address, 100))).toEqual(new Array(100).fill(0));
    copyIntoNative(address, Uint8Array.of(9, 8, 7));
    expect(Array.from(copyFromNative(address, 4))).toEqual([9, 8, 7, 0]);
    expect(freeNative(address)).toBe(true);
    expect(freeNative(address)).toBe(false);
    expect(() => allocNative(-1)).toThrow(RangeError);
    expect(() => allocNative(1.5)).toThrow(RangeError);
    expect(() => allocNative(16, 3)).toThrow(RangeError);
  });
});
