import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // One test starts `node make-sample.mjs`, the other loads the runtime and TensorRT's stand-in;
    // well under a second alone, the bound is for two busy cores.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
