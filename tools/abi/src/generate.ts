/** Reads the data files and renders both generated views in memory. */
import { readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { emitCpp } from "./emit-cpp.js";
import { emitTypeScript } from "./emit-ts.js";
import { buildModel } from "./model.js";
import type { AbiData } from "./schema.js";

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
export const supportedMajors = [10, 11] as const;

export const dataFile = (major: number) => join(repoRoot, "tools", "abi", "data", `trt${major}.json`);

/** Where each view is written: the ffi engine's module and the header shared by the addon and the emulator. */
export const outputs = {
  typescript: join(repoRoot, "packages", "runtime", "src", "abi", "tables.generated.ts"),
  cpp: join(repoRoot, "packages", "native", "include", "trt_abi.generated.h"),
};

export function loadData(major: number): AbiData {
  return JSON.parse(readFileSync(dataFile(major), "utf8")) as AbiData;
}

export function render(): { typescript: string; cpp: string } {
  const models = supportedMajors.map((m) => buildModel(loadData(m)));
  const sources = supportedMajors.map((m) => relative(repoRoot, dataFile(m)));
  return { typescript: emitTypeScript(models, sources), cpp: emitCpp(models, sources) };
}
