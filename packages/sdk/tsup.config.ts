import { readFileSync } from "node:fs";
import { defineConfig } from "tsup";

const { version } = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8")) as { version: string };

export default defineConfig({
  entry: {"index": "src/index.ts", "cli": "src/cli.ts"},
  format: ["esm", "cjs"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "node20",
  // `trt --version` reports the package version without reading package.json at run time.
  define: { __SDK_VERSION__: JSON.stringify(version) },
});
