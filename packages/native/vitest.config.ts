import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Each test file in its own process: a native addon and the libraries it
    // dlopens are process state, and one file exercises exit behaviour.
    pool: "forks",
    testTimeout: 20_000,
  },
});
