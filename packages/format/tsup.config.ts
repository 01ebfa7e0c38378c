import { defineConfig } from "tsup";

export default defineConfig({
  entry: {
    index: "src/index.ts",
    node: "src/node.ts",
    tuple: "src/tuple-entry.ts",
    container: "src/container-entry.ts",
    pickle: "src/pickle-entry.ts",
    zip: "src/zip-entry.ts",
  },
  format: ["esm", "cjs"],
  dts: true,
  sourcemap: true,
  clean: true,
  // CommonJS too: the entries share chunks, so FormatError (and everything else of the
  // core) exists once, not once per entry.
  splitting: true,
  target: "node20",
});
