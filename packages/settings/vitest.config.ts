import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Most tests write and lock cache files, and the child-process tests bundle their fixtures with
    // esbuild in a hook: milliseconds alone, but file I/O on two busy cores can stall for seconds.
    // The tests that start processes set a longer bound of their own.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
