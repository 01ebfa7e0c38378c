import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Nearly every test starts the CLI as a process, some several times (about 0.2 s each alone);
    // on two cores shared with the workspace's other tasks that can take many times longer.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
