import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The suite runs the whole benchmark once in its short mode.
    testTimeout: 240_000,
    hookTimeout: 240_000,
  },
});
