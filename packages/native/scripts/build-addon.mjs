#!/usr/bin/env node
// Provides the addon binary. Two callers:
//
// --install (the package's install script, run by npm and pnpm): use the
// prebuilt binary for this platform and CPU when the package ships one and it
// loads (no compiler needed), else build from source with cmake and a C++17
// compiler. Never fails the install: without either, the package installs
// without a binary and loadNative() says why and how to fix it. npm hides an
// install script's output, so the outcome is also written to
// build/install.json, which the loader reads when it finds no binary.
//
// no flag (the `build` script turbo runs in the repository): build from
// source into build/Release, only when the inputs changed (a stamp of their
// hash); a failure fails the build.
//
// --bench builds build/bench/trt_native_bench.node instead: the addon with the
// benchmark hooks of bench/cpp, which the published addon does not carry.
//
// TRT_NATIVE_SKIP_BUILD=1 provides nothing; TRT_NATIVE_FROM_SOURCE=1 ignores
// the prebuilt binaries; TRT_NATIVE_FORCE_BUILD=1 ignores the stamp;
// TRT_NATIVE_BUILD_VERBOSE=1 shows cmake's and the compiler's output.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { compileAddon, missingTools, root, sourceStamp } from "./cmake-addon.mjs";

const buildDir = join(root, "build");
const binary = join(buildDir, "Release", "trt_native.node");
const stampFile = join(buildDir, "trt_native.stamp");
const reportFile = join(buildDir, "install.json");
const prebuilt = join(root, "prebuilds", `${process.platform}-${process.arch}`, "trt_native.node");
const installMode = process.argv.includes("--install");
// The binding protocol the package's TypeScript expects (BINDING_VERSION in src/loader.ts).
const BINDING_VERSION = 3;

const log = (msg) => console.error(`[@trt/native] ${msg}`);

/** The rebuild command in the package manager that runs this install (npm and pnpm both set the user agent). */
function rebuildCommand() {
  const agent = process.env.npm_config_user_agent ?? "";
  if (agent.startsWith("pnpm/")) return "pnpm rebuild @trt/native";
  if (agent.startsWith("yarn/")) return "yarn rebuild @trt/native";
  return "npm rebuild @trt/native";
}

/** Records what the install did, for the loader's error and `trt doctor`. */
function report(outcome, detail) {
  if (!installMode) return;
  mkdirSync(buildDir, { recursive: true });
  const record = { outcome, detail, platform: `${process.platform}-${process.arch}`, node: process.version, rebuild: rebuildCommand() };
  writeFileSync(reportFile, `${JSON.stringify(record, null, 2)}\n`);
}

function giveUp(reason) {
  log(reason);
  log("The package stays usable without the addon: loadNative() reports it as unavailable and the runtime uses ffi.");
  report("none", reason);
  process.exit(0);
}

/** Loads `path` in this process and checks its binding version; the error message when it does not load. */
function loadProblem(path) {
  try {
    const addon = createRequire(import.meta.url)(path);
    return addon.bindingVersion === BINDING_VERSION ? null : `binding version ${addon.bindingVersion}, expected ${BINDING_VERSION}`;
  } catch (e) {
    return e?.message ?? String(e);
  }
}

// --bench: the benchmark build (build/bench/trt_native_bench.node, with bench/cpp's hooks), for bench/overhead.mjs only.
if (process.argv.includes("--bench")) {
  const benchDir = join(buildDir, "bench");
  const benchBinary = join(benchDir, "trt_native_bench.node");
  const benchStamp = join(benchDir, "trt_native_bench.stamp");
  const stamp = sourceStamp(process.arch, { bench: true });
  if (existsSync(benchBinary) && existsSync(benchStamp) && readFileSync(benchStamp, "utf8").trim() === stamp) {
    log("benchmark addon is up to date");
    process.exit(0);
  }
  const missingForBench = missingTools();
  if (missingForBench.length > 0) {
    log(`cannot build the benchmark addon: ${missingForBench.join(" and ")} not found`);
    process.exit(1);
  }
  compileAddon({ workDir: join(benchDir, "cmake"), outDir: benchDir, bench: true, verbose: process.env.TRT_NATIVE_BUILD_VERBOSE === "1" });
  writeFileSync(benchStamp, `${stamp}\n`);
  log(`built ${benchBinary}`);
  process.exit(0);
}

if (process.env.TRT_NATIVE_SKIP_BUILD === "1") {
  log("TRT_NATIVE_SKIP_BUILD=1: not providing the addon");
  report("skipped", "TRT_NATIVE_SKIP_BUILD=1");
  process.exit(0);
}

const wanted = sourceStamp();
if (process.env.TRT_NATIVE_FORCE_BUILD !== "1" && existsSync(binary) && existsSync(stampFile) && readFileSync(stampFile, "utf8").trim() === wanted) {
  log("addon is up to date");
  process.exit(0);
}

// Why the prebuilt binary was not used, for the report when the source build cannot run either.
let prebuiltProblem = null;
if (installMode && process.env.TRT_NATIVE_FROM_SOURCE !== "1") {
  if (existsSync(prebuilt)) {
    const problem = loadProblem(prebuilt);
    if (problem === null) {
      log(`using the prebuilt addon for ${process.platform}-${process.arch} (${prebuilt}); no compiler needed`);
      report("prebuilt", prebuilt);
      process.exit(0);
    }
    // An older C library than the one the binaries were built against (glibc 2.36), for one.
    prebuiltProblem = `the prebuilt addon for ${process.platform}-${process.arch} does not load here (${problem})`;
    log(`${prebuiltProblem}; building from source`);
  } else {
    prebuiltProblem = `no prebuilt addon for ${process.platform}-${process.arch} in this package (it ships linux-x64 and linux-arm64)`;
    log(`${prebuiltProblem}; building from source`);
  }
}

const missing = missingTools();
if (missing.length > 0) {
  const why = `cannot build the addon from source: ${missing.join(" and ")} not found. Install them and run \`${rebuildCommand()}\`.`;
  if (installMode) giveUp(prebuiltProblem ? `${prebuiltProblem}; ${why}` : why);
  log(why);
  process.exit(1);
}

const started = Date.now();
log("building from source with cmake");
try {
  const { compiler } = compileAddon({ workDir: join(buildDir, "cmake"), outDir: join(buildDir, "Release"), verbose: process.env.TRT_NATIVE_BUILD_VERBOSE === "1" });
  log(`built ${binary} with ${compiler} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
} catch (e) {
  const why = `building the addon failed: ${e?.message ?? e}`;
  if (installMode) giveUp(why);
  log(why);
  process.exit(1);
}
writeFileSync(stampFile, `${wanted}\n`);
report("built", binary);
