import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { RuntimeCache, runtimeCache, type RuntimeCacheScope } from "../src/index.js";
import { decodeRuntimeCacheFile, encodeRuntimeCacheFile } from "../src/advanced.js";
import { FakeModule, RTX } from "./support/fake-module.js";
import { useTempDir } from "./support/temp-dir.js";
import { codes, collectWarnings } from "./support/warnings.js";

const onDisk = (path: string) => new Uint8Array(decodeRuntimeCacheFile(readFileSync(path)));
const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

/** Counts saves of the scope's cache, whichever path (sync or async) performs them. */
function countSaves(scope: RuntimeCacheScope): { readonly count: number } {
  const sync = vi.spyOn(scope.cache, "saveSync");
  const async = vi.spyOn(scope.cache, "save");
  return {
    get count() {
      return sync.mock.calls.length + async.mock.calls.length;
    },
  };
}

describe("runtimeCache scope", () => {
  const warnings = collectWarnings();
  const dir = useTempDir();
  const file = () => join(dir.path, "engine.cache");

  it("callback form: the targets use the cache inside, it is saved exactly once at the end", () => {
    const m = new FakeModule({ capabilities: RTX });
    let saves!: { readonly count: number };
    const result = runtimeCache(m, file(), (scope) => {
      saves = countSaves(scope);
      expect(scope.cache).toBeInstanceOf(RuntimeCache);
      expect(m.runtimeSettings.runtimeCache).toBe(scope.cache);
      expect(m.cacheOwner.cache).toBe(scope.cache);
      m.run(Uint8Array.of(1, 2));
      m.run(Uint8Array.of(1, 2, 3));
      return "ok";
    });
    expect(result).toBe("ok");
    expect(saves.count).toBe(1);
    expect(m.runtimeSettings.runtimeCache).toBeNull();
    expect(onDisk(file())).toEqual(Uint8Array.of(1, 2, 3));
    expect(warnings).toEqual([]);
  });

  it("callback form: saves once when the callback throws", () => {
    const m = new FakeModule({ capabilities: RTX });
    let saves!: { readonly count: number };
    expect(() =>
      runtimeCache(m, file(), (scope) => {
        saves = countSaves(scope);
        m.run(Uint8Array.of(4));
        throw new Error("boom");
      }),
    ).toThrow("boom");
    expect(saves.count).toBe(1);
    expect(onDisk(file())).toEqual(Uint8Array.of(4));
    expect(m.runtimeSettings.runtimeCache).toBeNull();
  });

  it("callback form, async: saves once after the promise settles, also on rejection", async () => {
    const m = new FakeModule({ capabilities: RTX });
    let saves!: { readonly count: number };
    const value = await runtimeCache(m, file(), async (scope) => {
      saves = countSaves(scope);
      await tick();
      m.run(Uint8Array.of(5));
      return 5;
    });
    expect(value).toBe(5);
    expect(saves.count).toBe(1);
    expect(onDisk(file())).toEqual(Uint8Array.of(5));

    await expect(
      runtimeCache(m, file(), async (scope) => {
        saves = countSaves(scope);
        // The scope's cache starts from the file.
        expect(scope.cache.bytes).toEqual(Uint8Array.of(5));
        m.run(Uint8Array.of(6));
        await tick();
        throw new Error("rejected");
      }),
    ).rejects.toThrow("rejected");
    expect(saves.count).toBe(1);
    expect(onDisk(file())).toEqual(Uint8Array.of(6));
  });

  it("using: synchronous save once at the end of the block, also when it throws", () => {
    const m = new FakeModule({ capabilities: RTX });
    let saves!: { readonly count: number };
    {
      using scope = runtimeCache(m, file());
      saves = countSaves(scope);
      m.run(Uint8Array.of(7));
      expect(existsSync(file())).toBe(false);
    }
    expect(saves.count).toBe(1);
    expect(onDisk(file())).toEqual(Uint8Array.of(7));

    expect(() => {
      using scope = runtimeCache(m, file());
      saves = countSaves(scope);
      m.run(Uint8Array.of(8));
      throw new Error("boom");
    }).toThrow("boom");
    expect(saves.count).toBe(1);
    expect(onDisk(file())).toEqual(Uint8Array.of(8));
  });

  it("await using: asynchronous save once, also when the block rejects", async () => {
    const m = new FakeModule({ capabilities: RTX });
    let saves!: { readonly count: number };
    let sync!: ReturnType<typeof vi.spyOn>;
    const body = async () => {
      await using scope = runtimeCache(m, file());
      saves = countSaves(scope);
      sync = vi.spyOn(scope.cache, "saveSync");
      m.run(Uint8Array.of(9));
      await tick();
      throw new Error("late");
    };
    await expect(body()).rejects.toThrow("late");
    expect(saves.count).toBe(1);
    expect(sync).not.toHaveBeenCalled();
    expect(onDisk(file())).toEqual(Uint8Array.of(9));
  });

  it("never saves twice, whichever way and however often it is ended", async () => {
    const m = new FakeModule({ capabilities: RTX });
    const scope = runtimeCache(m, file());
    const saves = countSaves(scope);
    m.run();
    scope.close();
    await scope.closeAsync();
    scope.close();
    expect(saves.count).toBe(1);
  });

  it("saves nothing when nothing was written to the cache", () => {
    const m = new FakeModule({ capabilities: RTX });
    runtimeCache(m, file(), () => undefined);
    expect(existsSync(file())).toBe(false);
  });

  it("gives every target the same cache, and restores each", () => {
    const a = new FakeModule({ capabilities: RTX });
    const b = new FakeModule({ capabilities: RTX, settings: a.runtimeSettings.with({ cudaGraphStrategy: "whole_graph_capture" }) });
    runtimeCache([a, b], file(), (scope) => {
      expect(a.runtimeSettings.runtimeCache).toBe(scope.cache);
      expect(b.runtimeSettings.runtimeCache).toBe(scope.cache);
      expect(b.runtimeSettings.cudaGraphStrategy).toBe("whole_graph_capture");
      b.run(Uint8Array.of(1));
    });
    expect([a.runtimeSettings.runtimeCache, b.runtimeSettings.runtimeCache]).toEqual([null, null]);
    expect(onDisk(file())).toEqual(Uint8Array.of(1));
  });

  it("a failed save at scope end is a warning, not an error", () => {
    writeFileSync(join(dir.path, "file"), "");
    const m = new FakeModule({ capabilities: RTX });
    expect(
      runtimeCache(m, join(dir.path, "file", "c.bin"), () => {
        m.run();
        return 1;
      }),
    ).toBe(1);
    expect(codes(warnings)).toEqual(["TRT_RUNTIME_CACHE_SAVE_FAILED"]);
  });

  it("a corrupt cache file at scope start is a warning and an empty cache", () => {
    writeFileSync(file(), encodeRuntimeCacheFile(Uint8Array.of(1, 2, 3)).subarray(0, 30));
    const m = new FakeModule({ capabilities: RTX });
    runtimeCache(m, file(), (scope) => {
      expect(scope.cache.bytes.length).toBe(0);
      m.run(Uint8Array.of(2));
    });
    expect(codes(warnings)).toEqual(["TRT_RUNTIME_CACHE_CORRUPT"]);
    expect(onDisk(file())).toEqual(Uint8Array.of(2));
  });
});
