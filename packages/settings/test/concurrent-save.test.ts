import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { decodeRuntimeCacheFile } from "../src/advanced.js";
import { CHILD_TEST_TIMEOUT_MS, useFixture } from "./support/child.js";
import { makePayload, payloadOrigin } from "./support/payload.js";
import { useTempDir } from "./support/temp-dir.js";

const WRITERS = 4;
const ROUNDS = 25;

const expected = new Map<string, Buffer>();
function payloadFor(writer: number, round: number): Buffer {
  const key = `${writer}:${round}`;
  let bytes = expected.get(key);
  if (bytes === undefined) expected.set(key, (bytes = Buffer.from(makePayload(writer, round))));
  return bytes;
}

/** Reads the file and checks it is exactly one of the payloads the writers produce. */
function readIntact(path: string): { writer: number; round: number } {
  const payload = decodeRuntimeCacheFile(readFileSync(path));
  const origin = payloadOrigin(payload);
  expect(origin.writer).toBeLessThan(WRITERS);
  expect(origin.round).toBeLessThan(ROUNDS);
  // Byte comparison through Buffer.equals: a deep toEqual on 200 KB per read would
  // starve the writers of CPU.
  expect(Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).equals(payloadFor(origin.writer, origin.round))).toBe(true);
  return origin;
}

describe("concurrent saves from several processes", () => {
  const dir = useTempDir();
  const saveMany = useFixture("save-many.ts");

  it("never leave a torn file: every read decodes to one whole payload", async () => {
    const path = join(dir.path, "shared.cache");
    // Outside the cache's directory, which must hold nothing but the cache at the end.
    const gateDir = mkdtempSync(join(tmpdir(), "trt-settings-gate-"));
    const gate = join(gateDir, "read-once");
    const children = Promise.all(Array.from({ length: WRITERS }, (_, w) => saveMany([path, String(w), String(ROUNDS), gate])));
    let finished = false;
    void children.finally(() => (finished = true));

    // Read while the writers write: each read sees either no file yet or a complete one. The
    // writers hold their last save until the first whole read, so at least one read is concurrent.
    const seen = new Set<string>();
    try {
      while (!finished) {
        try {
          const { writer, round } = readIntact(path);
          seen.add(`${writer}:${round}`);
          writeFileSync(gate, "");
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
        }
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    } finally {
      // Lets the writers finish even when a read failed, so no process is left waiting.
      writeFileSync(gate, "");
    }

    const results = await children;
    rmSync(gateDir, { recursive: true, force: true });
    for (const result of results) {
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
    }
    const last = readIntact(path);
    // Each writer's final save is its last round; whoever wrote last, the file holds a final round.
    expect(last.round).toBe(ROUNDS - 1);
    // Read during the writes: before any writer's last round.
    expect([...seen].some((key) => Number(key.split(":")[1]) < ROUNDS - 1)).toBe(true);
    // No lock directory or temporary file is left behind.
    expect(readdirSync(dir.path)).toEqual(["shared.cache"]);
  }, CHILD_TEST_TIMEOUT_MS);
});
