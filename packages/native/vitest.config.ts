import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Each test file in its own process: a native addon and the libraries it
    // dlopens are process state, and one file exercises exit behaviour.
    pool: "forks",
    // Loading the addon and TensorRT's stand-in and deserializing engines is file I/O and work
    // on worker threads: milliseconds alone, seconds on two busy cores. The tests that start
    // processes or a compiler set a longer bound of their own.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
