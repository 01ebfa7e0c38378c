/**
 * The runtime-cache persistence path end to end, over the emulator's runtime
 * cache (real TensorRT has one only in its RTX builds): what contexts compile
 * goes from the "TensorRT" side into the RuntimeCache, into the file, and
 * back into a fresh process, under the ownership rules of @trt/settings:
 *
 * - an implicit cache (a path in the settings) is saved when its module
 *   releases it, when the setting moves to another cache (the old one first),
 *   and at process exit; modules naming one file share one cache;
 * - a runtimeCache() scope saves exactly once when it ends, in every form,
 *   also when it ends by a throw or a rejection;
 * - a RuntimeCache the user made is never saved for them;
 * - a cache nobody compiled anything into is never rewritten.
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { RuntimeCache, runtimeCache } from "@trt/settings";
import { decodeRuntimeCacheFile, encodeRuntimeCacheFile } from "@trt/settings/advanced";
import { afterEach, describe, expect, it } from "vitest";
import type { TensorRTEnvironment } from "../src/environment/environment.js";
import { TensorRTModule } from "../src/module/module.js";
import { withRuntime } from "../src/selection/scope.js";
import { environmentFor, IMPLEMENTATIONS, plan, presentedAs } from "./support/runtime.js";
import { useTempDir } from "./support/temp-dir.js";
import { codes, collectWarnings } from "./support/warnings.js";

const warnings = collectWarnings();
const dir = useTempDir();
const modules: TensorRTModule[] = [];
afterEach(() => modules.splice(0).forEach((m) => m.release()));
const boom = new Error("boom");

async function make(name = "add_dynamic", runtimeCacheSetting?: string | RuntimeCache, environment: TensorRTEnvironment = environmentFor(10)) {
  const m = await TensorRTModule.fromEngine(plan(name), {
    environment,
    ...(runtimeCacheSetting !== undefined ? { runtimeSettings: { runtimeCache: runtimeCacheSetting } } : {}),
  });
  modules.push(m);
  return m;
}

/** Runs add_dynamic at batch `rows` on every implementation (one kernel entry; the others hit it). */
async function add(m: TensorRTModule, rows = 2): Promise<void> {
  const x = { data: new Float32Array(rows * 4), shape: [rows, 4] };
  for (const impl of IMPLEMENTATIONS) (await withRuntime(impl, () => m.run({ a: x, b: x }))).dispose();
}

/** The emulator's cache entries in a cache file ("add_dynamic|profile 0|a[2,4]|b[2,4]", ...). */
function entries(path: string): string[] {
  const payload = Buffer.from(decodeRuntimeCacheFile(readFileSync(path)));
  expect(payload.subarray(0, 8).toString("latin1")).toBe("EMURTC01");
  const out: string[] = [];
  for (let at = 12; at < payload.length; ) {
    const length = payload.readUInt32LE(at);
    out.push(payload.subarray(at + 4, at + 4 + length).toString("utf8"));
    at += 4 + length;
  }
  return out;
}
const key = (rows: number, name = "add_dynamic") =>
  name === "add_dynamic" ? `add_dynamic|profile 0|a[${rows},4]|b[${rows},4]` : `${name}|profile 0|x[2,3]`;

/**
 * Counts the saves of `cache` that write: a collector registered after the
 * module's (which attaches at its first context) sees whether the save that
 * runs it has anything to write.
 */
function countWrites(cache: RuntimeCache): { writes: number } {
  const counter = { writes: 0 };
  cache.onBeforeSave((c) => void (c.dirty && counter.writes++));
  return counter;
}

describe("implicit runtime caches (a path in the settings)", () => {
  it("what the contexts compiled is saved when the module releases the cache, once, and shared by modules naming the same file", async () => {
    const path = join(dir.path, "shared.cache");
    const a = await make("add_dynamic", path);
    // Another spelling of the same file: the same implicit cache, the same TensorRT-side cache.
    const b = await make("identity_f32", relative(process.cwd(), path));
    await add(a, 2);
    (await b.run([new Float32Array(6)])).dispose();
    expect(a.stats.runtimeCache).toEqual({ entries: 2, hits: IMPLEMENTATIONS.length - 1, misses: 2 });
    expect(existsSync(path)).toBe(false);
    a.release();
    expect(entries(path)).toEqual([key(2), key(0, "identity_f32")]);
    // A save renames a new file over the old one, so an unchanged inode means no save.
    const written = statSync(path).ino;
    b.release(); // nothing new since: not written again
    expect(statSync(path).ino).toBe(written);
    expect(warnings).toEqual([]);
  });

  it("moving the setting to another cache saves the old one first; the new one starts from its file", async () => {
    const [first, second] = [join(dir.path, "first.cache"), join(dir.path, "second.cache")];
    const m = await make("add_dynamic", first);
    await add(m, 3);
    m.runtimeSettings = m.runtimeSettings.with({ runtimeCache: second });
    expect(entries(first)).toEqual([key(3)]);
    expect(existsSync(second)).toBe(false);
    await add(m, 3);
    await add(m, 5);
    expect(m.stats.runtimeCache).toEqual({ entries: 2, hits: 2 * IMPLEMENTATIONS.length - 2, misses: 2 });
    // Back to the first file: its cache already knows batch 3.
    m.runtimeSettings = m.runtimeSettings.with({ runtimeCache: first });
    expect(entries(second)).toEqual([key(3), key(5)]);
    await add(m, 3);
    expect(m.stats.runtimeCache).toMatchObject({ entries: 1, misses: 0 });
    m.runtimeSettings = m.runtimeSettings.with({ runtimeCache: null });
    expect(entries(first)).toEqual([key(3)]);
  });

  it("`await using` releases the module with an asynchronous save", async () => {
    const path = join(dir.path, "async.cache");
    {
      await using m = await TensorRTModule.fromEngine(plan("add_dynamic"), { environment: environmentFor(10), runtimeSettings: { runtimeCache: path } });
      await add(m, 6);
      expect(existsSync(path)).toBe(false);
    }
    expect(entries(path)).toEqual([key(6)]);
  });

  it("a cache file TensorRT refuses starts empty, warns, and is replaced by the next save", async () => {
    const path = join(dir.path, "foreign.cache");
    writeFileSync(path, encodeRuntimeCacheFile(new TextEncoder().encode("not an emulator cache")));
    const m = await make("add_dynamic", path);
    await add(m, 4);
    expect(codes(warnings)).toEqual(["TRT_RUNTIME_CACHE_REJECTED"]);
    m.release();
    expect(entries(path)).toEqual([key(4)]);
  });

  // Two Node processes with tsx, one after the other (about 2 s alone): bounded for two busy cores.
  it("bytes go into the file and back into a fresh process, which hits them; the exit hook saves what it added", async () => {
    const path = join(dir.path, "process.cache");
    const first = await child([path, "release", "2", "3"]);
    expect(first.stats).toEqual({ entries: 2, hits: 0, misses: 2 });
    expect(entries(path)).toEqual([key(2), key(3)]);
    // A fresh process loads the file into TensorRT before its first context: batch 2 is a hit, 6 is new.
    const second = await child([path, "exit", "2", "6"]);
    expect(second.stats).toEqual({ entries: 3, hits: 1, misses: 1 });
    expect(entries(path)).toEqual([key(2), key(3), key(6)]);
  }, 120_000);
});

describe("runtimeCache() scopes on modules", () => {
  const forms = [
    ["callback, synchronous", false],
    ["callback, asynchronous", false],
    ["using", false],
    ["await using", false],
    ["callback, synchronous, throwing", true],
    ["callback, asynchronous, rejecting", true],
    ["using, throwing", true],
    ["await using, throwing", true],
  ] as const;

  it.each(forms)("%s: restores the modules, then saves exactly once what they compiled", async (form, throws) => {
    const path = join(dir.path, "scope.cache");
    const [a, b] = [await make("add_dynamic"), await make("identity_f32")];
    let counter: { writes: number } = { writes: -1 };
    const body = (cache: RuntimeCache) => {
      expect(a.runtimeSettings.runtimeCache).toBe(cache);
      a.runSync({ a: { data: new Float32Array(8), shape: [2, 4] }, b: { data: new Float32Array(8), shape: [2, 4] } }).dispose();
      b.runSync([new Float32Array(6)]).dispose();
      counter = countWrites(cache);
      if (throws) throw boom;
    };
    const attempt = async () => {
      switch (form) {
        case "callback, synchronous":
        case "callback, synchronous, throwing":
          return runtimeCache([a, b], path, (scope) => body(scope.cache));
        case "callback, asynchronous":
        case "callback, asynchronous, rejecting":
          return runtimeCache([a, b], path, async (scope) => {
            await Promise.resolve();
            body(scope.cache);
          });
        case "using":
        case "using, throwing": {
          using scope = runtimeCache([a, b], path);
          return body(scope.cache);
        }
        case "await using":
        case "await using, throwing": {
          await using scope = runtimeCache([a, b], path);
          return body(scope.cache);
        }
      }
    };
    if (throws) await expect(attempt()).rejects.toBe(boom);
    else await attempt();
    expect(a.runtimeSettings.runtimeCache).toBeNull();
    expect(b.runtimeSettings.runtimeCache).toBeNull();
    expect(counter.writes).toBe(1);
    expect(entries(path)).toEqual([key(2), key(0, "identity_f32")]);
    // One context, made inside the scope with its cache; the scope's end dropped it, so the next run makes another.
    expect(a.stats.contextsCreated).toBe(1);
    a.runSync({ a: { data: new Float32Array(4), shape: [1, 4] }, b: { data: new Float32Array(4), shape: [1, 4] } }).dispose();
    expect(a.stats.contextsCreated).toBe(2);
    expect(warnings).toEqual([]);
  });

  it("a scope where nothing ran saves nothing", async () => {
    const path = join(dir.path, "idle.cache");
    const m = await make();
    await runtimeCache(m, path, async () => {});
    {
      using _scope = runtimeCache(m, path);
    }
    expect(existsSync(path)).toBe(false);
  });

  it("on standard TensorRT the scope leaves modules alone (one warning) and saves nothing", async () => {
    const path = join(dir.path, "standard.cache");
    const m = await make("add_dynamic", undefined, presentedAs("standard"));
    await runtimeCache(m, path, async () => {
      expect(m.runtimeSettings.runtimeCache).toBeNull();
      await add(m);
    });
    await runtimeCache(m, path, () => undefined);
    expect(existsSync(path)).toBe(false);
    expect(codes(warnings)).toEqual(["TRT_UNSUPPORTED_RUNTIME_CACHE"]);
  });
});

describe("a RuntimeCache the user made", () => {
  it("is filled by the modules using it but saved only when its owner asks", async () => {
    const path = join(dir.path, "mine.cache");
    const cache = new RuntimeCache(path);
    const m = await make("add_dynamic", cache);
    await add(m, 7);
    m.release();
    expect(existsSync(path)).toBe(false);
    expect(cache.dirty).toBe(true);
    await cache.save();
    expect(entries(path)).toEqual([key(7)]);
  });
});

const fixture = fileURLToPath(new URL("./fixtures/cache-child.ts", import.meta.url));

/** Runs fixtures/cache-child.ts; resolves with the stats it printed, after checking it ended cleanly. */
function child(args: readonly string[]): Promise<{ stats: unknown }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ["--import", "tsx", fixture, ...args], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, TRT_RUNTIME: "" },
      // Killed rather than left running when it hangs; the test then fails on its exit.
      timeout: 55_000,
    });
    let stdout = "";
    let stderr = "";
    proc.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    proc.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    proc.on("error", reject);
    proc.on("close", (code) => {
      if (code !== 0 || stderr !== "") reject(new Error(`cache-child ${args.join(" ")} exited ${code ?? proc.signalCode}: ${stderr}`));
      else resolve({ stats: JSON.parse(stdout) as unknown });
    });
  });
}
