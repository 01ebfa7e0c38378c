import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Python writes the interop fixtures into a temporary directory once per run.
    globalSetup: ["test/setup/python-fixtures.ts"],
    // In-process reading, writing and property tests, under 0.3 s each alone: the bound leaves room
    // for two busy cores. The tests that start python3 or read gigabytes set longer ones.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
