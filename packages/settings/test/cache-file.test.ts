import * as zlib from "node:zlib";
import { describe, expect, it } from "vitest";
import { SettingsError } from "../src/index.js";
import { RUNTIME_CACHE_FORMAT_VERSION, RUNTIME_CACHE_MAGIC, decodeRuntimeCacheFile, encodeRuntimeCacheFile } from "../src/advanced.js";
import { crc32, crc32Portable } from "../src/crc32.js";

function payload(n: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 131 + 7) & 0xff);
}

function corruptReason(file: Uint8Array): string {
  try {
    decodeRuntimeCacheFile(file);
  } catch (error) {
    expect(error).toBeInstanceOf(SettingsError);
    expect((error as SettingsError).code).toBe("TRT_RUNTIME_CACHE_CORRUPT");
    return (error as Error).message;
  }
  throw new Error("expected the file to be rejected");
}

describe("runtime-cache file format", () => {
  it("round-trips empty and non-empty payloads", () => {
    for (const n of [0, 1, 27, 4096]) {
      const p = payload(n);
      const file = encodeRuntimeCacheFile(p);
      expect(file.length).toBe(28 + n);
      expect(decodeRuntimeCacheFile(file)).toEqual(p);
    }
  });

  it("lays out magic, version, reserved, length, payload, checksum", () => {
    const file = encodeRuntimeCacheFile(Uint8Array.of(0xaa, 0xbb));
    const view = new DataView(file.buffer);
    expect(Buffer.from(file.subarray(0, 8)).toString("latin1")).toBe("TRTCACHE");
    expect(file.subarray(0, 8)).toEqual(RUNTIME_CACHE_MAGIC);
    expect(view.getUint32(8, true)).toBe(RUNTIME_CACHE_FORMAT_VERSION);
    expect(view.getUint32(12, true)).toBe(0);
    expect(view.getBigUint64(16, true)).toBe(2n);
    expect([...file.subarray(24, 26)]).toEqual([0xaa, 0xbb]);
    expect(view.getUint32(26, true)).toBe(crc32(file.subarray(0, 26)));
  });

  it("detects every kind of damage", () => {
    const good = encodeRuntimeCacheFile(payload(64));
    const edit = (fn: (f: Uint8Array, v: DataView) => void) => {
      const f = good.slice();
      fn(f, new DataView(f.buffer));
      return f;
    };
    expect(corruptReason(good.subarray(0, 10))).toContain("shorter");
    expect(corruptReason(new Uint8Array(0))).toContain("shorter");
    expect(corruptReason(edit((f) => (f[0] = 0x58)))).toContain("TRTCACHE");
    expect(corruptReason(edit((_, v) => v.setUint32(8, 2, true)))).toContain("version 2");
    expect(corruptReason(edit((_, v) => v.setUint32(12, 1, true)))).toContain("reserved");
    expect(corruptReason(good.subarray(0, good.length - 1))).toContain("truncated");
    const longer = new Uint8Array(good.length + 3);
    longer.set(good);
    expect(corruptReason(longer)).toContain("truncated or extended");
    expect(corruptReason(edit((f) => (f[40] = (f[40] as number) ^ 1)))).toContain("checksum");
    expect(corruptReason(edit((f) => (f[f.length - 1] = (f[f.length - 1] as number) ^ 0x80)))).toContain("checksum");
  });

  it("computes zlib's CRC-32 with or without Node's native one", () => {
    const check = new TextEncoder().encode("123456789");
    expect(crc32Portable(check)).toBe(0xcbf43926);
    expect(crc32(check)).toBe(0xcbf43926);
    const native = (zlib as { crc32?: (d: Uint8Array) => number }).crc32;
    if (native !== undefined) expect(crc32Portable(payload(1000))).toBe(native(payload(1000)) >>> 0);
  });
});
