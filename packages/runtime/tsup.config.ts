import { defineConfig } from "tsup";

export default defineConfig({
  entry: { index: "src/index.ts", advanced: "src/advanced.ts" },
  format: ["esm", "cjs"],
  // Members marked @internal (Tensor's module internals) are left out of the published declarations.
  dts: { compilerOptions: { stripInternal: true } },
  sourcemap: true,
  clean: true,
  // Both entries share chunks in CommonJS too, so each class exists once whichever entry loads it.
  splitting: true,
  target: "node20",
  // native/loader.ts requires @trt/native lazily through createRequire(import.meta.url);
  // shims make import.meta.url work in the CommonJS build too.
  shims: true,
});
