import { defineConfig } from "tsup";

export default defineConfig({
  entry: {"index": "src/index.ts"},
  format: ["esm", "cjs"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "node20",
  // native/loader.ts requires @trt/native lazily through createRequire(import.meta.url);
  // shims make import.meta.url work in the CommonJS build too.
  shims: true,
});
