import { readFileSync } from "node:fs";
import { defineConfig } from "vitest/config";

const { version } = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8")) as { version: string };

export default defineConfig({
  // What tsup.config.ts defines for the build, so the sources run the same under test.
  define: { __SERVER_VERSION__: JSON.stringify(version) },
  test: {
    include: ["test/**/*.test.ts"],
    // The in-process tests load the runtime and the emulator in their hooks, the process tests start
    // the server (and python3 for tritonclient): seconds alone, many times that on two busy cores.
    // The tritonclient test sets its own, longer bound for its first pip install.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
