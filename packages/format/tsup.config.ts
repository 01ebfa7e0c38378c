import { defineConfig } from "tsup";

export default defineConfig({
  entry: {"index": "src/index.ts", "node": "src/node.ts"},
  format: ["esm", "cjs"],
  dts: true,
  sourcemap: true,
  clean: true,
  // CommonJS too: index.cjs and node.cjs share one chunk, so FormatError (and everything
  // else of the core) exists once, not once per entry.
  splitting: true,
  target: "node20",
});
