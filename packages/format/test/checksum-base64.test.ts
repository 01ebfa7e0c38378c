import fc from "fast-check";
import { crc32 as zlibCrc32 } from "node:zlib";
import { describe, expect, it } from "vitest";
import { crc32 } from "../src/container-entry.js";
import { base64Decode, base64Encode } from "../src/tuple-entry.js";
import { nodeCrc32 } from "../src/node.js";
import { expectFormatError, pattern } from "./helpers.js";

describe("crc32", () => {
  it("matches the standard check value and zlib", () => {
    expect(crc32(new TextEncoder().encode("123456789"))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
    const data = pattern(100_003);
    expect(crc32(data)).toBe(zlibCrc32(data));
    expect(nodeCrc32(data)).toBe(crc32(data));
  });

  it("chains: crc(b, crc(a)) == crc(a ++ b) for any split", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.uint8Array({ maxLength: 200 }), (a, b) => {
        const joined = new Uint8Array([...a, ...b]);
        expect(crc32(b, crc32(a))).toBe(crc32(joined));
        expect(crc32(joined)).toBe(zlibCrc32(joined));
      }),
    );
  });
});

describe("base64", () => {
  it("agrees with Node's Buffer both ways", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const text = base64Encode(bytes);
        expect(text).toBe(Buffer.from(bytes).toString("base64"));
        expect(base64Decode(text, "t")).toEqual(bytes);
        expect(base64Decode(new TextEncoder().encode(text), "t")).toEqual(bytes);
        expect(base64Decode(text.replace(/=+$/, ""), "t")).toEqual(bytes); // unpadded
      }),
    );
  });

  it("rejects what is not strict base64", () => {
    for (const bad of ["A", "AB=C", "AB C", "AB\nCD==", "AB-_", "ABC==", "é123", "A===", "=AAA"]) {
      expectFormatError(() => base64Decode(bad, "the slot"), "BAD_BASE64");
    }
  });
});
