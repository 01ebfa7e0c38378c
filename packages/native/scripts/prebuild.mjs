#!/usr/bin/env node
// The binaries a release ships: prebuilds/linux-x64/trt_native.node and
// prebuilds/linux-arm64/trt_native.node, so that installing on those machines
// needs no compiler (the install script uses them; see build-addon.mjs). One
// binary per CPU serves every Node version: the addon uses Node-API 8 only.
// The other CPU is cross-compiled (Debian's g++-aarch64-linux-gnu, or
// g++-x86-64-linux-gnu on an arm64 machine). Each binary is checked to be an
// ELF file for its CPU, and the one for this machine to load.
//
//   node scripts/prebuild.mjs                 both CPUs; fails when one cannot be built
//   node scripts/prebuild.mjs --available     the CPUs this machine has compilers for; skips the others, saying so
//   node scripts/prebuild.mjs --arch arm64    one CPU
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { compileAddon, elfArch, missingTools, root, sourceStamp } from "./cmake-addon.mjs";

const ARCHES = ["x64", "arm64"];
const args = process.argv.slice(2);
const only = args.includes("--arch") ? [args[args.indexOf("--arch") + 1]] : ARCHES;
const availableOnly = args.includes("--available");
const log = (msg) => console.error(`[@trt/native prebuild] ${msg}`);

if (process.platform !== "linux") {
  log(`prebuilt binaries are built on Linux; this is ${process.platform}`);
  process.exit(1);
}
for (const arch of only) {
  if (!ARCHES.includes(arch)) {
    log(`unknown --arch ${arch}; one of ${ARCHES.join(", ")}`);
    process.exit(2);
  }
}

let failed = false;
for (const arch of only) {
  const outDir = join(root, "prebuilds", `linux-${arch}`);
  const missing = missingTools(arch);
  if (missing.length > 0) {
    log(`linux-${arch}: skipped: ${missing.join(" and ")} not found`);
    if (!availableOnly) failed = true;
    continue;
  }
  mkdirSync(outDir, { recursive: true });
  const target = join(outDir, "trt_native.node");
  // This machine's CPU: the repository's own build is the same compile (same flags, same stamp), so reuse it.
  const own = join(root, "build", "Release", "trt_native.node");
  const stampFile = join(root, "build", "trt_native.stamp");
  const ownIsCurrent = arch === process.arch && existsSync(own) && existsSync(stampFile) && readFileSync(stampFile, "utf8").trim() === sourceStamp(arch);
  // A cross-compiled binary is kept while its inputs are unchanged (its stamp sits in build/, not in the package).
  const crossStamp = join(root, "build", `prebuild-${arch}.stamp`);
  const crossIsCurrent = !ownIsCurrent && existsSync(target) && existsSync(crossStamp) && readFileSync(crossStamp, "utf8").trim() === sourceStamp(arch);
  const started = Date.now();
  if (crossIsCurrent) {
    log(`linux-${arch}: up to date (${target})`);
  } else if (ownIsCurrent) {
    copyFileSync(own, target);
    log(`linux-${arch}: copied the current build (${own})`);
  } else {
    const workDir = join(root, "build", `prebuild-${arch}`);
    rmSync(workDir, { recursive: true, force: true });
    const { compiler } = compileAddon({ arch, workDir, outDir, verbose: process.env.TRT_NATIVE_BUILD_VERBOSE === "1" });
    writeFileSync(crossStamp, `${sourceStamp(arch)}\n`);
    log(`linux-${arch}: built with ${compiler} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  const found = elfArch(target);
  if (found !== arch) {
    log(`linux-${arch}: ${target} is for ${found}, not ${arch}`);
    failed = true;
    continue;
  }
  if (arch === process.arch) {
    const addon = createRequire(import.meta.url)(target);
    log(`linux-${arch}: loads here (binding version ${addon.bindingVersion}, Node-API ${addon.napiVersion})`);
  }
}
process.exit(failed ? 1 : 0);
