import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Test files share worker processes: loading libnvinfer and koffi once per
    // worker instead of once per file takes the run from ~12 s to ~3 s. The
    // files hold no state that another could trip on (each releases what it
    // creates and resets the log sink it sets).
    isolate: false,
    // global.gc lets the finalizer and leak tests collect on demand.
    poolOptions: { forks: { execArgv: ["--expose-gc"] } },
    // In-process runs on the emulator, with library loads and file I/O: under a second each alone,
    // so the bound is for two busy cores. The tests that start processes set longer ones.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
