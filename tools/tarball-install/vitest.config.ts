import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Packing six packages and an npm install with the registry (or npm's cache): tens of
    // seconds alone, a few minutes at worst on two cores busy with the workspace's other tasks.
    testTimeout: 600_000,
    hookTimeout: 600_000,
  },
});
