import { defineConfig } from "tsup";

export default defineConfig({
  entry: { index: "src/index.ts", advanced: "src/advanced.ts" },
  format: ["esm", "cjs"],
  dts: true,
  sourcemap: true,
  clean: true,
  // Both entries share one chunk in CommonJS too, so each class exists once.
  splitting: true,
  target: "node20",
});
