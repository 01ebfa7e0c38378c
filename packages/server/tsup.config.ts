import { readFileSync } from "node:fs";
import { defineConfig } from "tsup";

const { version } = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8")) as { version: string };
// `GET /v2` and `trt-server --version` report the package version without reading package.json at run time.
const define = { __SERVER_VERSION__: JSON.stringify(version) };

export default defineConfig([
  // The library entry, for `import` and `require`.
  // shims: the CommonJS build gets import.meta.url, which finds the intake thread's module beside it.
  { entry: { index: "src/index.ts" }, format: ["esm", "cjs"], dts: true, sourcemap: true, clean: true, target: "node20", define, shims: true },
  // The CLI: only the bin launcher (ESM) loads it, so one format.
  { entry: { cli: "src/cli.ts" }, format: ["esm"], sourcemap: true, target: "node20", define },
  // An HTTP intake thread's module (--http-threads), which a Worker loads by its file name.
  { entry: { "intake-worker": "src/intake/intake-worker.ts" }, format: ["esm"], sourcemap: true, target: "node20" },
]);
