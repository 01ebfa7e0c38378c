import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The round trip starts python3 twice and node once (about 1.5 s alone); on two cores shared
    // with the rest of the workspace's tasks it has taken more than 5 s, so the bound is for a busy machine.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
