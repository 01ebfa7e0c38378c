// Engines above 2 GiB, without a 2 GiB fixture: the engine region of the container
// is a hole in a sparse file (reads as zeros, takes no disk), with marker bytes at
// both ends so a misplaced read would show.
import { closeSync, ftruncateSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { encodeContainer, encodeTuple } from "../src/index.js";
import { CONTAINER_HEADER_BYTES } from "../src/container-entry.js";
import { MAX_ENGINE_BYTES, nodeCrc32, readEngineFile } from "../src/node.js";
import { expectFormatErrorAsync, sampleEngine } from "./helpers.js";

const dir = mkdtempSync(join(tmpdir(), "trt-format-large-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MARK = Uint8Array.from({ length: 16 }, (_, i) => 0xa0 + i);

// Writes a container whose engine is `engineBytes` long: MARK, zeros (a hole), MARK.
function writeSparseContainer(path: string, engineBytes: number, computeCrc: boolean): void {
  // Same slots as a small container, with the engine length patched in.
  const small = encodeContainer(sampleEngine(MARK));
  const raw = encodeTuple(sampleEngine(MARK));
  let pos = CONTAINER_HEADER_BYTES;
  for (let i = 0; i < 3; i++) pos += 8 + new TextEncoder().encode(raw[i] as string).length;
  const head = small.slice(0, pos + 8);
  new DataView(head.buffer).setUint32(pos, engineBytes % 2 ** 32, true);
  new DataView(head.buffer).setUint32(pos + 4, Math.floor(engineBytes / 2 ** 32), true);
  const tail = small.slice(pos + 8 + MARK.length, small.length - 8);
  let crc = 0;
  if (computeCrc) {
    crc = nodeCrc32(MARK, nodeCrc32(head));
    const zeros = new Uint8Array(64 << 20);
    let left = engineBytes - 2 * MARK.length;
    for (; left > 0; left -= zeros.length) crc = nodeCrc32(left >= zeros.length ? zeros : zeros.subarray(0, left), crc);
    crc = nodeCrc32(tail, nodeCrc32(MARK, crc));
  }
  const trailer = new Uint8Array(8);
  new DataView(trailer.buffer).setUint32(0, crc, true);
  trailer.set(new TextEncoder().encode("TEND"), 4);
  const fd = openSync(path, "w");
  try {
    const engineAt = head.length;
    const tailAt = engineAt + engineBytes;
    writeSync(fd, head, 0, head.length, 0);
    writeSync(fd, MARK, 0, MARK.length, engineAt);
    writeSync(fd, MARK, 0, MARK.length, tailAt - MARK.length);
    writeSync(fd, tail, 0, tail.length, tailAt);
    writeSync(fd, trailer, 0, 8, tailAt + tail.length);
    ftruncateSync(fd, tailAt + tail.length + 8);
  } finally {
    closeSync(fd);
  }
}

describe("engines over 2 GiB", () => {
  // Checksums 2 GiB to write the file, then reads and checksums it again: about 16 s alone on two
  // cores, several times that on busy ones.
  it("reads a 2 GiB + 64 KiB engine from a sparse container, checksum verified", async () => {
    const size = 2 ** 31 + 65536;
    const path = join(dir, "big.trtengine");
    writeSparseContainer(path, size, true);
    const value = await readEngineFile(path);
    expect(value.engine.length).toBe(size);
    expect([...value.engine.subarray(0, 16)]).toEqual([...MARK]);
    expect([...value.engine.subarray(size - 16)]).toEqual([...MARK]);
    expect(value.engine[2 ** 31]).toBe(0);
    expect(value.outputBindingNames).toEqual(sampleEngine().outputBindingNames);
  }, 240_000);

  it("refuses an engine above Node's buffer limit with TOO_LARGE, before allocating", async () => {
    const size = MAX_ENGINE_BYTES + 1;
    const path = join(dir, "huge.trtengine");
    writeSparseContainer(path, size, false);
    const err = await expectFormatErrorAsync(readEngineFile(path), "TOO_LARGE");
    expect(err.found).toBe(`${size} bytes`);
    expect(err.hint).toContain("4 GiB");
  });
});
