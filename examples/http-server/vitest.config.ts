import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // server.test.ts starts the server as a process and talks to it over a socket, and app.test.ts
    // loads the runtime in its hooks: seconds alone, so the bound is for two busy cores.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
