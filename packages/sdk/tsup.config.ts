import { readFileSync } from "node:fs";
import { defineConfig } from "tsup";

const { version } = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8")) as { version: string };

export default defineConfig([
  // The library entries, for `import` and `require`.
  {
    entry: { index: "src/index.ts", native: "src/native.ts", advanced: "src/advanced.ts" },
    format: ["esm", "cjs"],
    dts: true,
    sourcemap: true,
    clean: true,
    target: "node20",
    // tsup leaves dependencies and peerDependencies external, not optional ones: @trt/native must stay a package import.
    external: ["@trt/native"],
  },
  // The CLI: only the bin launcher (ESM) loads it, so one format; its commands' lazy imports become chunks.
  {
    entry: { cli: "src/cli.ts" },
    format: ["esm"],
    sourcemap: true,
    // @trt/emulator is the repository's development package: `trt doctor` looks for it at run time, never bundles it.
    external: ["@trt/native", "@trt/emulator"],
    target: "node20",
    // `trt --version` reports the package version without reading package.json at run time.
    define: { __SDK_VERSION__: JSON.stringify(version) },
  },
]);
