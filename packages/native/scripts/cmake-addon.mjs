// Compiling the addon with cmake alone: the Node-API headers come from the
// node-api-headers package and node-addon-api from npm (both header-only, no
// dependencies of their own), so no download, no node-gyp and no cmake-js.
// Node-API addons on Linux do not link against Node (its symbols resolve when
// Node loads the file), so the same build cross-compiles for another CPU with
// that CPU's compiler. Shared by build-addon.mjs (installs and the workspace
// build) and prebuild.mjs (the binaries a release ships).
import { createHash } from "node:crypto";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(join(root, "package.json"));

/** The header-only packages a build compiles against. */
const HEADER_PACKAGES = ["node-addon-api", "node-api-headers"];

/** The C++ compiler for each Linux CPU a binary is built for, by the name Node gives the CPU. */
export const CROSS_COMPILERS = { x64: "x86_64-linux-gnu-g++", arm64: "aarch64-linux-gnu-g++" };
/** cmake's name for each CPU (CMAKE_SYSTEM_PROCESSOR). */
const CMAKE_PROCESSORS = { x64: "x86_64", arm64: "aarch64" };

/** True when `command --version` runs. */
export function have(command) {
  return spawnSync(command, ["--version"], { stdio: "ignore" }).status === 0;
}

/** The compiler for `arch`: $CXX or the usual names for this machine's CPU, the cross compiler for another. */
export function findCompiler(arch = process.arch) {
  const candidates = arch === process.arch ? [process.env.CXX, "c++", "g++", "clang++", CROSS_COMPILERS[arch]] : [CROSS_COMPILERS[arch]];
  return candidates.filter(Boolean).find((c) => have(c)) ?? null;
}

/** What a source build needs and this machine lacks, in words; empty when it can build. */
export function missingTools(arch = process.arch) {
  const missing = [];
  if (!have("cmake")) missing.push("cmake (3.15 or newer)");
  if (findCompiler(arch) === null) missing.push(arch === process.arch ? "a C++17 compiler (g++ or clang++)" : `the ${arch} cross compiler (${CROSS_COMPILERS[arch]})`);
  for (const name of HEADER_PACKAGES) {
    try {
      require.resolve(`${name}/package.json`);
    } catch {
      missing.push(`the ${name} package`);
    }
  }
  return missing;
}

/** Include directories: Node-API's C headers, then node-addon-api's C++ wrapper. */
function includeDirs() {
  const napi = join(dirname(require.resolve("node-api-headers/package.json")), "include");
  const addonApi = dirname(require.resolve("node-addon-api/package.json"));
  return [napi, addonApi];
}

/** A hash of everything the binary depends on: sources, headers, the header packages' versions, the target. */
export function sourceStamp(arch = process.arch, { bench = false } = {}) {
  const hash = createHash("sha256");
  const files = ["CMakeLists.txt"];
  for (const dir of bench ? ["cpp", "include", join("bench", "cpp")] : ["cpp", "include"]) for (const name of readdirSync(join(root, dir)).sort()) files.push(join(dir, name));
  for (const file of files) hash.update(file).update(readFileSync(join(root, file)));
  for (const name of HEADER_PACKAGES) {
    try {
      hash.update(`${name}@${require(`${name}/package.json`).version}`);
    } catch {
      hash.update(`${name}@missing`);
    }
  }
  hash.update(`${process.platform}-${arch}-${arch === process.arch ? (process.env.CXX ?? "") : CROSS_COMPILERS[arch]}`);
  return hash.digest("hex");
}

function run(command, args, verbose) {
  const r = spawnSync(command, args, { cwd: root, encoding: "utf8", stdio: verbose ? "inherit" : "pipe" });
  if (r.status !== 0) {
    const output = verbose ? "" : `\n${`${r.stdout ?? ""}${r.stderr ?? ""}`.trim().split("\n").slice(-25).join("\n")}`;
    throw new Error(`${command} ${args.slice(0, 2).join(" ")} ... failed (${r.error?.message ?? `exit ${r.status}`})${output}`);
  }
}

/**
 * Configures and builds the addon for `arch` in `workDir`; the binary lands at
 * `outDir/trt_native.node` (with `bench`: `outDir/trt_native_bench.node`), which is returned. Throws with the tail of the
 * compiler's output when the build fails.
 */
export function compileAddon({ arch = process.arch, workDir, outDir, jobs = availableParallelism(), verbose = false, bench = false }) {
  const compiler = findCompiler(arch);
  if (compiler === null) throw new Error(`no C++ compiler for ${arch}`);
  // A configure left by another compiler or generator would be reused by cmake; start clean.
  if (existsSync(join(workDir, "CMakeCache.txt"))) rmSync(workDir, { recursive: true, force: true });
  const args = [
    "-S", root,
    "-B", workDir,
    "-DCMAKE_BUILD_TYPE=Release",
    `-DCMAKE_CXX_COMPILER=${compiler}`,
    `-DNODE_API_INCLUDE_DIRS=${includeDirs().join(";")}`,
    `-DCMAKE_LIBRARY_OUTPUT_DIRECTORY=${outDir}`,
  ];
  if (have("ninja")) args.push("-G", "Ninja");
  // The benchmark build: trt_native_bench.node, the addon plus bench/cpp's hooks.
  args.push(`-DTRT_NATIVE_BENCH=${bench ? "ON" : "OFF"}`);
  if (arch !== process.arch) args.push("-DCMAKE_SYSTEM_NAME=Linux", `-DCMAKE_SYSTEM_PROCESSOR=${CMAKE_PROCESSORS[arch]}`);
  run("cmake", args, verbose);
  run("cmake", ["--build", workDir, "--parallel", String(jobs)], verbose);
  const binary = join(outDir, bench ? "trt_native_bench.node" : "trt_native.node");
  if (!existsSync(binary)) throw new Error(`the build finished but ${binary} is missing`);
  return { binary, compiler };
}

/** The CPU an ELF file is for, from its header (e_machine): "x64", "arm64", or the number. */
export function elfArch(path) {
  const head = readFileSync(path).subarray(0, 20);
  if (head.length < 20 || head.readUInt32BE(0) !== 0x7f454c46) return "not ELF";
  const machine = head.readUInt16LE(18);
  return machine === 0x3e ? "x64" : machine === 0xb7 ? "arm64" : `machine ${machine}`;
}
