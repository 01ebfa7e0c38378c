import { describe, expect, it } from "vitest";
import { decodeContainer, encodeContainer, writePickledTuple } from "../src/index.js";
import { CONTAINER_HEADER_BYTES, CONTAINER_MAGIC, containerByteLength, containerChunks, crc32, decodeContainerSlots, readContainerInSteps } from "../src/container-entry.js";
import { expectFormatError, expectSameBytes, flip, pattern, sampleEngine } from "./helpers.js";

const u32 = (b: Uint8Array, at: number): number => new DataView(b.buffer, b.byteOffset).getUint32(at, true);
const setU32 = (b: Uint8Array, at: number, v: number): void => new DataView(b.buffer, b.byteOffset).setUint32(at, v, true);
// Offset of the engine slot's length field in a container of sampleEngine().
function engineLengthOffset(bytes: Uint8Array): number {
  let pos = CONTAINER_HEADER_BYTES;
  for (let i = 0; i < 3; i++) pos += 8 + u32(bytes, pos);
  return pos;
}

describe("container", () => {
  it("has the documented byte layout", () => {
    const value = sampleEngine(pattern(70000));
    const bytes = encodeContainer(value);
    expect([...bytes.subarray(0, 8)]).toEqual([...CONTAINER_MAGIC]);
    expect(new DataView(bytes.buffer).getUint16(8, true)).toBe(1);
    expect(new DataView(bytes.buffer).getUint16(10, true)).toBe(0);
    expect(u32(bytes, 12)).toBe(13);
    expect(u32(bytes, 16)).toBe(2); // slot 0 "10"
    expect(u32(bytes, 20)).toBe(0); // high half of the u64
    expect(new TextDecoder().decode(bytes.subarray(24, 26))).toBe("10");
    const at = engineLengthOffset(bytes);
    expect(u32(bytes, at)).toBe(70000);
    expectSameBytes(bytes.subarray(at + 8, at + 8 + 70000), value.engine); // raw, not base64
    expect(new TextDecoder().decode(bytes.subarray(bytes.length - 4))).toBe("TEND");
    expect(u32(bytes, bytes.length - 8)).toBe(crc32(bytes.subarray(0, bytes.length - 8)));
    expect(bytes.length).toBe(containerByteLength(value));
  });

  it("round-trips, with the engine as a zero-copy view of the input", () => {
    const value = sampleEngine(pattern(100_000));
    const bytes = encodeContainer(value);
    const back = decodeContainer(bytes);
    expect({ ...back, engine: null }).toEqual({ ...value, engine: null });
    expectSameBytes(back.engine, value.engine);
    expect(back.engine.buffer).toBe(bytes.buffer);
    expectSameBytes(encodeContainer(back), bytes);
  });

  it("streams: the engine chunk is the caller's own view and the chunks concatenate to encodeContainer", () => {
    const value = sampleEngine(pattern(200_000));
    const chunks = [...containerChunks(value)];
    expect(chunks.some((c) => c === value.engine)).toBe(true);
    expect(chunks.length).toBeLessThanOrEqual(4);
    expectSameBytes(Buffer.concat(chunks), encodeContainer(value));
  });

  it("validates the value before producing the first chunk", () => {
    const it = containerChunks({ ...sampleEngine(), inputBindingNames: ["bad%name"] });
    expectFormatError(() => it.next(), "BAD_BINDING_NAMES");
  });

  it("reads in steps (as the file reader does) to the same slots", () => {
    const bytes = encodeContainer(sampleEngine(pattern(3 << 20)));
    const steps = readContainerInSteps(bytes.length);
    let step = steps.next();
    let reads = 0;
    while (!step.done) {
      const { position, into } = step.value;
      into.set(bytes.subarray(position, position + into.length));
      reads++;
      step = steps.next(Math.min(into.length, bytes.length - position));
    }
    expect(step.value.map((s) => s.length)).toEqual(decodeContainerSlots(bytes).map((s) => s.length));
    expectSameBytes(step.value[3] as Uint8Array, pattern(3 << 20));
    expect(reads).toBeLessThanOrEqual(4); // head window, engine, tail window
  });

  describe("rejects damage with a stable code", () => {
    const good = encodeContainer(sampleEngine(pattern(5000)));
    const copy = (): Uint8Array => good.slice();

    it("empty, short or foreign input: BAD_MAGIC or TRUNCATED", () => {
      expectFormatError(() => decodeContainer(new Uint8Array(0)), "BAD_MAGIC");
      expectFormatError(() => decodeContainer(good.subarray(0, 5)), "TRUNCATED");
      expectFormatError(() => decodeContainer(good.subarray(0, 12)), "TRUNCATED");
      expectFormatError(() => decodeContainer(new TextEncoder().encode("hello world, not an engine")), "BAD_MAGIC");
      const pickle = expectFormatError(() => decodeContainer(writePickledTuple(sampleEngine())), "BAD_MAGIC");
      expect(pickle.hint).toContain("pickle");
      // Read with the right function, not wrapped: no remedy for a tool to offer.
      expect(pickle.remedy).toBeUndefined();
    });

    it("truncated at every region", () => {
      for (const cut of [16, 20, 30, 200, good.length - 9, good.length - 8, good.length - 1]) {
        const err = (() => {
          try {
            decodeContainer(good.subarray(0, cut));
          } catch (e) {
            return e as { code: string };
          }
          return null;
        })();
        expect(["TRUNCATED", "LENGTH_OUT_OF_RANGE"], `cut at ${cut}`).toContain(err?.code);
      }
    });

    it("header fields", () => {
      const v = copy();
      v[8] = 2;
      expect(expectFormatError(() => decodeContainer(v), "UNSUPPORTED_CONTAINER_VERSION").found).toBe("version 2");
      const f = copy();
      f[10] = 1;
      expectFormatError(() => decodeContainer(f), "BAD_HEADER");
      for (const n of [0, 65, 0xffffffff]) {
        const s = copy();
        setU32(s, 12, n);
        expectFormatError(() => decodeContainer(s), "BAD_HEADER");
      }
    });

    it("lengths past the end, and huge declared lengths", () => {
      const at = engineLengthOffset(good);
      const past = copy();
      setU32(past, at, 5001);
      expectFormatError(() => decodeContainer(past), "LENGTH_OUT_OF_RANGE");
      const huge = copy();
      setU32(huge, at + 4, 0xffffffff);
      const err = expectFormatError(() => decodeContainer(huge), "LENGTH_OUT_OF_RANGE");
      expect(err.expected).toContain("slot 3 (engine)");
    });

    it("slot count mismatch with the tuple layout", () => {
      const s = copy();
      setU32(s, 12, 12);
      // 12 slots parse structurally, then the trailer is misplaced.
      expect(() => decodeContainer(s)).toThrow(/expected/);
    });

    it("trailing bytes, bad end marker, bad checksum", () => {
      const longer = new Uint8Array(good.length + 3);
      longer.set(good);
      expectFormatError(() => decodeContainer(longer), "TRAILING_BYTES");
      const marker = copy();
      marker[marker.length - 1] = 0x21;
      expectFormatError(() => decodeContainer(marker), "BAD_TRAILER");
      const flipped = copy();
      flip(flipped, engineLengthOffset(good) + 8 + 1234, 0x10);
      const err = expectFormatError(() => decodeContainer(flipped), "CHECKSUM_MISMATCH");
      expect(err.message).toMatch(/stored.*computed/);
      expect(decodeContainer(flipped, { verifyChecksum: false }).engine[1234]).toBe(good[engineLengthOffset(good) + 8 + 1234]! ^ 0x10);
    });
  });
});
