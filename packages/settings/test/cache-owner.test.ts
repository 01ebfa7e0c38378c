import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { RuntimeCache, RuntimeSettings, runtimeConfig } from "../src/index.js";
import { CacheOwner, decodeRuntimeCacheFile } from "../src/advanced.js";
import { FakeModule, RTX } from "./support/fake-module.js";
import { useTempDir } from "./support/temp-dir.js";
import { codes, collectWarnings } from "./support/warnings.js";

const onDisk = (path: string) => new Uint8Array(decodeRuntimeCacheFile(readFileSync(path)));
const withCache = (path: string) => new RuntimeSettings({ runtimeCache: path });

describe("implicit caches (a path string in the settings)", () => {
  const warnings = collectWarnings();
  const dir = useTempDir();

  it("are saved when their module releases them, once", () => {
    const path = join(dir.path, "m.cache");
    const m = new FakeModule({ capabilities: RTX, settings: withCache(path) });
    const cache = m.cacheOwner.cache as RuntimeCache;
    expect(m.cacheOwner.implicit).toBe(true);
    const saves = vi.spyOn(cache, "saveSync");
    m.run(Uint8Array.of(1, 1));
    m.release();
    m.release();
    expect(saves).toHaveBeenCalledTimes(1);
    expect(onDisk(path)).toEqual(Uint8Array.of(1, 1));
    expect(m.cacheOwner.cache).toBeNull();
  });

  it("are saved first when the module's cache path changes", () => {
    const a = join(dir.path, "a.cache");
    const b = join(dir.path, "b.cache");
    const m = new FakeModule({ capabilities: RTX, settings: withCache(a) });
    const first = m.cacheOwner.cache as RuntimeCache;
    const firstSaves = vi.spyOn(first, "saveSync");
    m.run(Uint8Array.of(0xa));
    runtimeConfig(m, { runtimeCache: b }, () => {
      // The swap to b already wrote a, before anything used b.
      expect(firstSaves).toHaveBeenCalledTimes(1);
      expect(onDisk(a)).toEqual(Uint8Array.of(0xa));
      expect(m.cacheOwner.cache?.path).toBe(b);
      m.run(Uint8Array.of(0xb));
    });
    // Swapping back released b (saved) and reloaded a from its file.
    expect(onDisk(b)).toEqual(Uint8Array.of(0xb));
    expect(m.cacheOwner.cache).not.toBe(first);
    expect(m.cacheOwner.cache?.bytes).toEqual(Uint8Array.of(0xa));
    expect(firstSaves).toHaveBeenCalledTimes(1);
    m.release();
  });

  it("are one cache per file, shared by every module naming it, however spelled", () => {
    const path = join(dir.path, "shared.cache");
    const spelled = relative(process.cwd(), path);
    const m1 = new FakeModule({ capabilities: RTX, settings: withCache(path) });
    const m2 = new FakeModule({ capabilities: RTX, settings: withCache(spelled) });
    expect(m2.cacheOwner.cache).toBe(m1.cacheOwner.cache);
    const recreations = m1.contextRecreations;
    m1.cacheOwner.adopt(withCache(spelled));
    expect(m1.contextRecreations).toBe(recreations);
    m1.run(Uint8Array.of(1));
    m1.release();
    expect(onDisk(path)).toEqual(Uint8Array.of(1));
    m2.run(Uint8Array.of(2));
    m2.release();
    expect(onDisk(path)).toEqual(Uint8Array.of(2));
    // Nobody holds it now: the next module starts from the file.
    const m3 = new FakeModule({ capabilities: RTX, settings: withCache(path) });
    expect(m3.cacheOwner.cache).not.toBe(m1.cacheOwner.cache);
    expect(m3.cacheOwner.cache?.bytes).toEqual(Uint8Array.of(2));
    m3.release();
  });

  it("are not saved when nothing was written", () => {
    const path = join(dir.path, "clean.cache");
    const m = new FakeModule({ capabilities: RTX, settings: withCache(path) });
    m.release();
    expect(existsSync(path)).toBe(false);
  });

  it("releaseAsync saves asynchronously", async () => {
    const path = join(dir.path, "async.cache");
    const owner = new CacheOwner();
    const cache = owner.adopt(withCache(path)) as RuntimeCache;
    cache.update(Uint8Array.of(3));
    const sync = vi.spyOn(cache, "saveSync");
    await owner.releaseAsync();
    await owner.releaseAsync();
    expect(sync).not.toHaveBeenCalled();
    expect(onDisk(path)).toEqual(Uint8Array.of(3));
    expect(owner.cache).toBeNull();
  });

  it("a failed save on release is a warning, not an error", () => {
    writeFileSync(join(dir.path, "file"), "");
    const owner = new CacheOwner();
    owner.adopt(withCache(join(dir.path, "file", "x.cache")))?.update(Uint8Array.of(1));
    expect(() => owner.release()).not.toThrow();
    expect(codes(warnings)).toEqual(["TRT_RUNTIME_CACHE_SAVE_FAILED"]);
  });

  it("null means no cache, and an owned RuntimeCache is never released by the owner", () => {
    const owner = new CacheOwner();
    expect(owner.adopt(RuntimeSettings.DEFAULT)).toBeNull();
    const mine = new RuntimeCache(join(dir.path, "mine.cache"), { bytes: Uint8Array.of(1) });
    expect(owner.adopt(new RuntimeSettings({ runtimeCache: mine }))).toBe(mine);
    expect(owner.implicit).toBe(false);
    owner.release();
    expect(mine.dirty).toBe(true);
  });
});
