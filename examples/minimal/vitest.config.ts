import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Each test starts `node main.mjs` (about 0.2 s alone); the bound is for two busy cores.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
