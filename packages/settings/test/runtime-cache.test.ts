import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { RuntimeCache, RuntimeSettings, SettingsError } from "../src/index.js";
import { decodeRuntimeCacheFile, encodeRuntimeCacheFile } from "../src/advanced.js";
import { FakeModule, RTX } from "./support/fake-module.js";
import { useTempDir } from "./support/temp-dir.js";
import { codes, collectWarnings } from "./support/warnings.js";

const onDisk = (path: string) => new Uint8Array(decodeRuntimeCacheFile(readFileSync(path)));

describe("RuntimeCache", () => {
  const warnings = collectWarnings();
  const dir = useTempDir();

  it("resolves its path and validates it", () => {
    expect(new RuntimeCache("rel/c.bin").path).toBe(resolve("rel/c.bin"));
    expect(() => new RuntimeCache("")).toThrow(SettingsError);
  });

  it("reads the file lazily; a missing file is an empty cache without a warning", () => {
    const cache = new RuntimeCache(join(dir.path, "missing.bin"));
    expect(cache.loaded).toBe(false);
    expect(cache.bytes).toEqual(new Uint8Array(0));
    expect(cache.loaded).toBe(true);
    expect(cache.dirty).toBe(false);
    expect(warnings).toEqual([]);
  });

  it("saves and loads, tracking dirty", async () => {
    const path = join(dir.path, "sub", "dir", "c.bin");
    const cache = new RuntimeCache(path);
    cache.update(Uint8Array.of(1, 2, 3));
    expect(cache.dirty).toBe(true);
    await cache.save();
    expect(cache.dirty).toBe(false);
    expect(onDisk(path)).toEqual(Uint8Array.of(1, 2, 3));
    cache.update(Uint8Array.of(4));
    cache.saveSync();
    expect(cache.dirty).toBe(false);
    const again = await new RuntimeCache(path).load();
    expect(again.bytes).toEqual(Uint8Array.of(4));
    expect(again.dirty).toBe(false);
    expect(new RuntimeCache(path).loadSync().bytes).toEqual(Uint8Array.of(4));
    // Nothing left behind: no lock directory, no temporary file.
    expect(readdirSync(join(dir.path, "sub", "dir"))).toEqual(["c.bin"]);
  });

  it("copies the bytes it is given", () => {
    const source = Uint8Array.of(9, 9);
    const cache = new RuntimeCache(join(dir.path, "c.bin"), { bytes: source });
    source[0] = 0;
    expect(cache.bytes).toEqual(Uint8Array.of(9, 9));
    expect(cache.dirty).toBe(true);
  });

  it("a corrupt file is a warning and an empty cache, and the next save repairs it", async () => {
    const path = join(dir.path, "bad.bin");
    writeFileSync(path, "this is not a cache");
    const cache = new RuntimeCache(path);
    expect(cache.bytes).toEqual(new Uint8Array(0));
    expect(codes(warnings)).toEqual(["TRT_RUNTIME_CACHE_CORRUPT"]);
    expect(warnings[0]?.message).toContain(path);
    const truncated = encodeRuntimeCacheFile(Uint8Array.of(1, 2, 3, 4)).subarray(0, 20);
    writeFileSync(path, truncated);
    await cache.load();
    expect(cache.bytes).toEqual(new Uint8Array(0));
    expect(codes(warnings)).toEqual(["TRT_RUNTIME_CACHE_CORRUPT", "TRT_RUNTIME_CACHE_CORRUPT"]);
    cache.update(Uint8Array.of(5));
    await cache.save();
    expect(onDisk(path)).toEqual(Uint8Array.of(5));
  });

  it("an unreadable file is a warning and an empty cache", async () => {
    const path = join(dir.path, "is-a-directory");
    mkdirSync(path);
    expect(new RuntimeCache(path).bytes).toEqual(new Uint8Array(0));
    expect((await new RuntimeCache(path).load()).bytes.length).toBe(0);
    expect(codes(warnings)).toEqual(["TRT_RUNTIME_CACHE_UNREADABLE", "TRT_RUNTIME_CACHE_UNREADABLE"]);
  });

  it("an explicit save that cannot write throws TRT_RUNTIME_CACHE_IO", async () => {
    writeFileSync(join(dir.path, "file"), "");
    const cache = new RuntimeCache(join(dir.path, "file", "c.bin"), { bytes: Uint8Array.of(1) });
    await expect(cache.save()).rejects.toMatchObject({ code: "TRT_RUNTIME_CACHE_IO", path: cache.path });
    expect(() => cache.saveSync()).toThrow(expect.objectContaining({ code: "TRT_RUNTIME_CACHE_IO" }));
    expect(cache.dirty).toBe(true);
  });

  it("a cache never loaded nor updated writes nothing, so it cannot clobber the file", async () => {
    const path = join(dir.path, "c.bin");
    await new RuntimeCache(path, { bytes: Uint8Array.of(7) }).save();
    await new RuntimeCache(path).save();
    new RuntimeCache(path).saveSync();
    expect(onDisk(path)).toEqual(Uint8Array.of(7));
  });

  it("an update during a load wins over the file", async () => {
    const path = join(dir.path, "c.bin");
    writeFileSync(path, encodeRuntimeCacheFile(Uint8Array.of(1)));
    const cache = new RuntimeCache(path);
    const loading = cache.load();
    cache.update(Uint8Array.of(2));
    await loading;
    expect(cache.bytes).toEqual(Uint8Array.of(2));
    expect(cache.dirty).toBe(true);
  });

  it("stays dirty when updated while a save is under way, and saves run in call order", async () => {
    const path = join(dir.path, "c.bin");
    const cache = new RuntimeCache(path, { bytes: Uint8Array.of(1) });
    const first = cache.save();
    cache.update(Uint8Array.of(2));
    await first;
    expect(cache.dirty).toBe(true);
    await cache.save();
    expect(cache.dirty).toBe(false);
    expect(onDisk(path)).toEqual(Uint8Array.of(2));
  });

  it("a queued asynchronous save never overwrites a newer synchronous one", async () => {
    const path = join(dir.path, "c.bin");
    const cache = new RuntimeCache(path, { bytes: Uint8Array.of(1) });
    const older = cache.save();
    cache.update(Uint8Array.of(2));
    cache.saveSync();
    await older;
    expect(onDisk(path)).toEqual(Uint8Array.of(2));
    expect(cache.dirty).toBe(false);
  });

  it("a cache the user constructs is saved only when asked, never by a module", () => {
    const path = join(dir.path, "user.bin");
    const cache = new RuntimeCache(path);
    const m = new FakeModule({ capabilities: RTX, settings: new RuntimeSettings({ runtimeCache: cache }) });
    m.run(Uint8Array.of(3));
    expect(m.cacheOwner.cache).toBe(cache);
    expect(m.cacheOwner.implicit).toBe(false);
    m.runtimeSettings = RuntimeSettings.DEFAULT;
    m.release();
    expect(existsSync(path)).toBe(false);
    expect(cache.dirty).toBe(true);
    cache.saveSync();
    expect(onDisk(path)).toEqual(Uint8Array.of(3));
  });

  it("runs collectors before every save so a live owner can copy its newest bytes in", async () => {
    const path = join(dir.path, "c.bin");
    const cache = new RuntimeCache(path);
    let engineState = Uint8Array.of(1);
    let collected = 0;
    const stop = cache.onBeforeSave((c) => {
      collected++;
      if (c.loaded && c.bytes.length === engineState.length && c.bytes.every((b, i) => b === engineState[i])) return;
      c.update(engineState);
    });
    await cache.save();
    expect(onDisk(path)).toEqual(Uint8Array.of(1));
    engineState = Uint8Array.of(2, 2);
    cache.saveSync({ onlyIfDirty: true });
    expect(onDisk(path)).toEqual(Uint8Array.of(2, 2));
    // Nothing new: an automatic-style save writes nothing.
    const mtime = statSync(path).mtimeMs;
    await cache.save({ onlyIfDirty: true });
    expect(statSync(path).mtimeMs).toBe(mtime);
    expect(collected).toBe(3);
    stop();
    engineState = Uint8Array.of(3);
    cache.saveSync();
    expect(collected).toBe(3);
    expect(onDisk(path)).toEqual(Uint8Array.of(2, 2));
  });

  it("onlyIfDirty skips a clean cache", () => {
    const path = join(dir.path, "c.bin");
    const cache = new RuntimeCache(path);
    expect(cache.bytes.length).toBe(0);
    cache.saveSync({ onlyIfDirty: true });
    expect(existsSync(path)).toBe(false);
    cache.saveSync();
    expect(onDisk(path)).toEqual(new Uint8Array(0));
  });
});

describe("RuntimeCache, synchronous save while this process saves asynchronously", () => {
  const dir = useTempDir();

  it("does not wait for a lock its own event loop would have to release", async () => {
    const path = join(dir.path, "c.bin");
    const slow = new RuntimeCache(path, { bytes: new Uint8Array(4 << 20).fill(1) });
    const pending = slow.save();
    while (!existsSync(`${path}.lock`)) await new Promise((resolve) => setImmediate(resolve));
    // Waiting would block this thread until the lock went stale and then throw: the asynchronous
    // save cannot release it while the thread is blocked. So a save that completes (the cache is
    // clean) while the lock is still there (only this thread's event loop can remove it) did not
    // wait for it.
    const fast = new RuntimeCache(path, { bytes: Uint8Array.of(2) });
    expect(fast.dirty).toBe(true);
    fast.saveSync();
    expect(fast.dirty).toBe(false);
    expect(existsSync(`${path}.lock`)).toBe(true);
    await pending;
    // Either write may land last; the file is one whole payload either way.
    const payload = onDisk(path);
    const slowWhole = payload.length === 4 << 20 && payload.every((b) => b === 1);
    const fastWhole = payload.length === 1 && payload[0] === 2;
    expect(slowWhole || fastWhole).toBe(true);
  });
});
