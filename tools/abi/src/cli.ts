/** `pnpm --filter @trt/abi generate`: rewrites the generated views from the data files. */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, relative } from "node:path";
import { outputs, render, repoRoot } from "./generate.js";

const rendered = render();
for (const [kind, path] of Object.entries(outputs) as [keyof typeof outputs, string][]) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, rendered[kind]);
  console.log(`wrote ${relative(repoRoot, path)}`);
}
