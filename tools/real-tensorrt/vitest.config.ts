import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // On a GPU machine the first run of each engine loads TensorRT's kernels (seconds);
    // on CI the files are only read and hashed, but the machine has 2 busy cores.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
