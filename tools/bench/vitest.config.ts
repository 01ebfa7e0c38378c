import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The suite runs the whole benchmark once in its short mode, as a process (about 3 s alone; the
    // bound is for two busy cores, and above the 200 s after which the test kills that process).
    testTimeout: 240_000,
    hookTimeout: 240_000,
  },
});
