// Temporary files left by saves that never reached their rename: which ones a
// later save or load removes, and which it must leave alone.
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { describe, expect, it } from "vitest";
import { RuntimeCache } from "../src/index.js";
import { decodeRuntimeCacheFile } from "../src/advanced.js";
import { currentTempWriter, nextTempFileName, parseTempFileName, processExists } from "../src/temp-files.js";
import { CHILD_TEST_TIMEOUT_MS, useStartedFixture, type StartedChild } from "./support/child.js";
import { codes, collectWarnings } from "./support/warnings.js";
import { useTempDir } from "./support/temp-dir.js";

const OLD = Uint8Array.from({ length: 1024 }, (_, i) => i % 251);
const NEW = Uint8Array.from({ length: 2048 }, (_, i) => (i * 7) % 253);
// Large enough that the write is real work, small enough for a busy CI disk.
const KILLED_SAVE_MIB = 16;
const HEADER_AND_CHECKSUM = 28;

function onDisk(path: string): Uint8Array {
  return Uint8Array.from(decodeRuntimeCacheFile(readFileSync(path)));
}

/** The pid of a process that has exited and been reaped. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ["-e", ""]);
  expect(r.status).toBe(0);
  // Linux hands out pids in order, so the id is not reused within a test run; checked anyway.
  expect(processExists(r.pid)).toBe(false);
  return r.pid;
}

/**
 * proper-lockfile judges a lock stale by its mtime (10 s without a refresh). Moving the mtime back
 * stands for those 10 s after a holder died, without waiting for them.
 */
function ageLock(path: string): void {
  const lock = `${path}.lock`;
  expect(existsSync(lock)).toBe(true);
  const past = new Date(Date.now() - 60_000);
  utimesSync(lock, past, past);
}

describe("a save killed after writing its temporary file, before the rename", () => {
  const dir = useTempDir();
  const warnings = collectWarnings();
  const stopMidSave = useStartedFixture("save-until-stopped.ts");

  /** Saves OLD, then has a child stop in the middle of saving a large cache over it. */
  async function childStoppedMidSave(path: string, mode: "async" | "sync"): Promise<{ child: StartedChild; tempPath: string }> {
    new RuntimeCache(path, { bytes: OLD }).saveSync();
    const child = stopMidSave([path, String(KILLED_SAVE_MIB), mode]);
    const { tempPath } = JSON.parse(await child.firstLine) as { tempPath: string };
    // The naming scheme: <cache>.<pid>.<token>.<n>.trtcache-tmp, beside the cache.
    expect(tempPath).toBe(join(dir.path, basename(tempPath)));
    expect(basename(tempPath)).toMatch(new RegExp(`^k\\.cache\\.${child.process.pid}\\.[0-9a-f]{8}\\.1\\.trtcache-tmp$`));
    expect(statSync(tempPath).size).toBe((KILLED_SAVE_MIB << 20) + HEADER_AND_CHECKSUM);
    return { child, tempPath };
  }

  async function kill(child: StartedChild): Promise<void> {
    child.process.kill("SIGKILL");
    const result = await child.exited;
    expect(result.signal).toBe("SIGKILL");
  }

  const cases = [
    { name: "the next save() removes it", childMode: "async", act: (path: string) => new RuntimeCache(path, { bytes: NEW }).save(), expected: NEW },
    { name: "the next saveSync() removes it", childMode: "sync", act: (path: string) => new RuntimeCache(path, { bytes: NEW }).saveSync(), expected: NEW },
    { name: "the next load() removes it", childMode: "async", act: async (path: string) => expect((await new RuntimeCache(path).load()).bytes).toEqual(OLD), expected: OLD },
    { name: "the next loadSync() removes it", childMode: "sync", act: (path: string) => expect(new RuntimeCache(path).loadSync().bytes).toEqual(OLD), expected: OLD },
  ] as const;

  // Each case starts a child process and writes 16 MiB: seconds on two busy cores (support/child.ts).
  it.each(cases)("$name", async ({ childMode, act, expected }) => {
    const path = join(dir.path, "k.cache");
    const { child, tempPath } = await childStoppedMidSave(path, childMode);
    await kill(child);
    // What the crash left: the whole temporary file, the old cache, the dead writer's lock.
    expect(existsSync(tempPath)).toBe(true);
    expect(onDisk(path)).toEqual(OLD);
    ageLock(path);

    await act(path);

    expect(existsSync(tempPath)).toBe(false);
    expect(readdirSync(dir.path)).toEqual(["k.cache"]);
    expect(onDisk(path)).toEqual(expected);
    expect(codes(warnings)).toEqual([]);
  }, CHILD_TEST_TIMEOUT_MS);

  // A child process, as above.
  it("keeps the temporary file of a writer that is still running, and removes it once that writer is gone", async () => {
    const path = join(dir.path, "k.cache");
    const { child, tempPath } = await childStoppedMidSave(path, "async");
    try {
      // Taking over the lock of a writer that stalled past the stale period: the one case where
      // the lock does not keep a live writer's file safe, and the pid has to.
      ageLock(path);
      await new RuntimeCache(path, { bytes: NEW }).save();
      expect(existsSync(tempPath)).toBe(true);
      expect(onDisk(path)).toEqual(NEW);
    } finally {
      await kill(child);
    }
    expect((await new RuntimeCache(path).load()).bytes).toEqual(NEW);
    expect(existsSync(tempPath)).toBe(false);
  }, CHILD_TEST_TIMEOUT_MS);
});

describe("temporary files a save or load leaves alone", () => {
  const dir = useTempDir();

  it("keeps this process's own, and removes those of an earlier process that had the same pid", async () => {
    const path = join(dir.path, "k.cache");
    const self = currentTempWriter();
    const mine = join(dir.path, `k.cache.${self.pid}.${self.token}.999.trtcache-tmp`);
    const otherToken = self.token === "00000000" ? "00000001" : "00000000";
    const predecessor = join(dir.path, `k.cache.${self.pid}.${otherToken}.1.trtcache-tmp`);
    writeFileSync(mine, "being written");
    writeFileSync(predecessor, "left by a crash");

    await new RuntimeCache(path, { bytes: NEW }).save();

    expect(readFileSync(mine, "utf8")).toBe("being written");
    expect(existsSync(predecessor)).toBe(false);
  });

  it("removes only its own cache's files whose name parses exactly", async () => {
    const path = join(dir.path, "k.cache");
    const dead = deadPid();
    const token = "0123abcd";
    const abandoned = `k.cache.${dead}.${token}.1.trtcache-tmp`;
    const others = [
      `other.cache.${dead}.${token}.1.trtcache-tmp`, // another cache in the same directory
      `k.cache2.${dead}.${token}.1.trtcache-tmp`, // a cache whose name starts with this one's
      `xk.cache.${dead}.${token}.1.trtcache-tmp`,
      `k.cache.old.${dead}.${token}.1.trtcache-tmp`, // the temporary file of cache "k.cache.old"
      `k.cache.${dead}.${token}.1.tmp`, // not this package's ending
      `k.cache.${dead}.${token}.1.trtcache-tmp.bak`,
      `k.cache.${dead}.0123ABCD.1.trtcache-tmp`, // not a token this package writes
      `k.cache.${dead}.${token}.trtcache-tmp`,
      "k.cache.1234567890", // write-file-atomic's naming (older versions): cannot be told from a user's file
    ];
    for (const name of [abandoned, ...others]) writeFileSync(join(dir.path, name), name);

    await new RuntimeCache(path, { bytes: NEW }).save();
    expect(existsSync(join(dir.path, abandoned))).toBe(false);
    writeFileSync(join(dir.path, abandoned), abandoned);
    expect((await new RuntimeCache(path).load()).bytes).toEqual(NEW);
    expect(existsSync(join(dir.path, abandoned))).toBe(false);

    expect(readdirSync(dir.path).sort()).toEqual(["k.cache", ...others].sort());
    for (const name of others) expect(readFileSync(join(dir.path, name), "utf8")).toBe(name);
  });

  it("a load that finds the lock held leaves them to the next save or load, and does not wait", async () => {
    const path = join(dir.path, "k.cache");
    new RuntimeCache(path, { bytes: OLD }).saveSync();
    const abandoned = join(dir.path, `k.cache.${deadPid()}.0123abcd.1.trtcache-tmp`);
    writeFileSync(abandoned, "");
    mkdirSync(`${path}.lock`); // a fresh lock: another writer is saving

    expect(new RuntimeCache(path).loadSync().bytes).toEqual(OLD);
    expect((await new RuntimeCache(path).load()).bytes).toEqual(OLD);
    expect(existsSync(abandoned)).toBe(true);
  });

  it("follows a symlinked cache file to the directory its temporary files are in", async () => {
    const realDir = join(dir.path, "real");
    mkdirSync(realDir);
    const real = join(realDir, "k.cache");
    const link = join(dir.path, "link.cache");
    new RuntimeCache(real, { bytes: OLD }).saveSync();
    symlinkSync(real, link);
    const abandoned = join(realDir, `k.cache.${deadPid()}.0123abcd.1.trtcache-tmp`);
    writeFileSync(abandoned, "");

    await new RuntimeCache(link, { bytes: NEW }).save();

    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(onDisk(real)).toEqual(NEW);
    expect(existsSync(abandoned)).toBe(false);
    expect(readdirSync(realDir)).toEqual(["k.cache"]);
  });

  it("keeps the permission bits of the file a save replaces", () => {
    const path = join(dir.path, "k.cache");
    new RuntimeCache(path, { bytes: OLD }).saveSync();
    chmodSync(path, 0o600);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    new RuntimeCache(path, { bytes: NEW }).saveSync();
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(onDisk(path)).toEqual(NEW);
  });
});

describe("temporary file names", () => {
  it("name the writing process, and parse back only for their own cache", () => {
    const name = nextTempFileName("k.cache");
    expect(parseTempFileName("k.cache", name)).toEqual(currentTempWriter());
    expect(parseTempFileName("k", name)).toBeNull();
    expect(parseTempFileName("k.cache.1", name)).toBeNull();
    // Each name is new.
    expect(nextTempFileName("k.cache")).not.toBe(name);
  });
});
