import { defineConfig } from "tsup";

export default defineConfig({
  entry: { index: "src/index.ts" },
  format: ["esm", "cjs"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "node20",
  // loader.ts finds the addon relative to import.meta.url; shims make that
  // work in the CommonJS build too.
  shims: true,
});
