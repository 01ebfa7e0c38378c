import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // In-process checks of milliseconds each, no processes or sockets: vitest's 5 s default is ample.
    // The C++ tests (ctest, run by the package's test script) have ctest's own timeout.
  },
});
