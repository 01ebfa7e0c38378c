import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The tests start the CLI as a process (about 0.1-0.3 s each) and pack and install every package once.
    testTimeout: 30_000,
  },
});
