import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Python writes the interop fixtures into a temporary directory once per run.
    globalSetup: ["test/setup/python-fixtures.ts"],
    testTimeout: 30_000,
  },
});
