import { describe, expect, it } from "vitest";
import { decodeMetadata } from "../src/index.js";
import { MAX_VIEW_NODES } from "../src/pickle-entry.js";
import { base64Encode } from "../src/tuple-entry.js";

// Builds a pickle from opcode bytes and latin-1 text pieces.
const pk = (...parts: Array<number | string>): Uint8Array =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === "number" ? [p] : [...p].map((c) => c.charCodeAt(0)))));

describe("decodeMetadata", () => {
  it("is empty for an empty slot and an error (not an exception) for junk", () => {
    expect(decodeMetadata("")).toMatchObject({ status: "empty", value: null, error: null });
    const notBase64 = decodeMetadata("%%%");
    expect(notBase64).toMatchObject({ status: "error", error: { code: "BAD_BASE64" } });
    const notPickle = decodeMetadata(base64Encode(new TextEncoder().encode("hello")));
    expect(notPickle.status).toBe("error");
    expect(notPickle.error?.code).toBe("BAD_PICKLE");
    expect(decodeMetadata(42 as never)).toMatchObject({ status: "error", error: { code: "BAD_SLOT_TYPE" } });
  });

  it("decodes pickle.dumps({}) from Torch-TensorRT-style base64", () => {
    expect(decodeMetadata("gAR9lC4=")).toMatchObject({ status: "decoded", protocol: 4, pickleBytes: 5, value: {} });
  });

  it("keys named __proto__ stay plain keys", () => {
    const bytes = pk(0x80, 4, 0x7d, 0x8c, 9, "__proto__", 0x4b, 1, 0x73, 0x2e);
    const view = decodeMetadata(base64Encode(bytes));
    expect(Object.getPrototypeOf(view.value)).toBe(null);
    expect(JSON.stringify(view.value)).toBe('{"__proto__":1}');
  });

  it("bounds work on exponentially shared structure (no hang) and says it truncated", () => {
    // l0 = []; l(n+1) = [l(n), l(n)]: 2^40 leaves through memo references.
    const parts: number[] = [0x80, 4, 0x5d, 0x94];
    for (let i = 0; i < 40; i++) parts.push(0x28, 0x68, i, 0x68, i, 0x6c, 0x94);
    parts.push(0x2e);
    // Unbounded, this would walk 2^40 leaves and never return: the test's timeout is the hang check,
    // and the view's size shows the bound at work.
    const view = decodeMetadata(base64Encode(Uint8Array.from(parts)));
    expect(view.status).toBe("decoded");
    expect(view.truncated).toBe(true);
    expect(JSON.stringify(view.value).length).toBeLessThan(MAX_VIEW_NODES * 10);
  });
});
