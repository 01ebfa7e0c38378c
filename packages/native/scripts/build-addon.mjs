#!/usr/bin/env node
// Builds the addon (build/Release/trt_native.node) with cmake-js, only when
// its inputs changed. Run by `pnpm install` (the package's install script,
// with --install) and by the `build` script that turbo runs; the second finds
// the stamp the first wrote and returns in milliseconds, so nothing is built
// twice.
//
// --install: never fails the install. No compiler or cmake, or a failed
// compile, leaves the package installed without the binary; loadNative()
// then says why and how to fix it.
// TRT_NATIVE_SKIP_BUILD=1 skips building; TRT_NATIVE_FORCE_BUILD=1 ignores the stamp.
import { createHash } from "node:crypto";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const buildDir = join(root, "build");
const binary = join(buildDir, "Release", "trt_native.node");
const stampFile = join(buildDir, "trt_native.stamp");
const installMode = process.argv.includes("--install");
const require = createRequire(join(root, "package.json"));

const log = (msg) => console.error(`[@trt/native] ${msg}`);

function giveUp(reason) {
  log(`${reason}`);
  log("The package stays usable without the addon: loadNative() reports it as unavailable and the runtime uses ffi.");
  process.exit(0);
}

if (process.env.TRT_NATIVE_SKIP_BUILD === "1") {
  log("TRT_NATIVE_SKIP_BUILD=1: not building the addon");
  process.exit(0);
}

// Everything the binary depends on, hashed.
function stamp() {
  const hash = createHash("sha256");
  const files = ["CMakeLists.txt"];
  for (const dir of ["cpp", "include"]) {
    for (const name of readdirSync(join(root, dir)).sort()) files.push(join(dir, name));
  }
  for (const file of files) hash.update(file).update(readFileSync(join(root, file)));
  for (const dep of ["node-addon-api", "node-api-headers", "cmake-js"]) {
    try {
      hash.update(`${dep}@${require(`${dep}/package.json`).version}`);
    } catch {
      hash.update(`${dep}@missing`);
    }
  }
  hash.update(`${process.platform}-${process.arch}-${process.env.CXX ?? ""}`);
  return hash.digest("hex");
}

const wanted = stamp();
if (process.env.TRT_NATIVE_FORCE_BUILD !== "1" && existsSync(binary) && existsSync(stampFile)) {
  if (readFileSync(stampFile, "utf8").trim() === wanted) {
    log("addon is up to date");
    process.exit(0);
  }
}

function have(command, args = ["--version"]) {
  const r = spawnSync(command, args, { stdio: "ignore" });
  return r.status === 0;
}

const compilers = [process.env.CXX, "c++", "g++", "clang++"].filter(Boolean);
const compiler = compilers.find((c) => have(c));
const missing = [];
if (!have("cmake")) missing.push("cmake (3.15 or newer)");
if (!compiler) missing.push("a C++17 compiler (g++ or clang++)");
if (missing.length > 0) {
  giveUp(`cannot build the addon: ${missing.join(" and ")} not found on PATH. Install them and run \`pnpm rebuild @trt/native\`.`);
}

let BuildSystem;
try {
  ({ BuildSystem } = require("cmake-js"));
} catch (e) {
  const why = `cmake-js is not installed (${e.message})`;
  if (installMode) giveUp(why);
  log(why);
  process.exit(1);
}

const started = Date.now();
log(`building with cmake-js (${compiler}, ${availableParallelism()} jobs)`);
try {
  const system = new BuildSystem({
    directory: root,
    out: buildDir,
    config: "Release",
    parallel: availableParallelism(),
    noLog: process.env.TRT_NATIVE_BUILD_VERBOSE !== "1",
  });
  await system.build();
} catch (e) {
  const why = `building the addon failed: ${e?.message ?? e}`;
  if (installMode) giveUp(why);
  log(why);
  process.exit(1);
}
if (!existsSync(binary)) {
  const why = `the build finished but ${binary} is missing`;
  if (installMode) giveUp(why);
  log(why);
  process.exit(1);
}
mkdirSync(buildDir, { recursive: true });
writeFileSync(stampFile, `${wanted}\n`);
log(`built ${binary} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
