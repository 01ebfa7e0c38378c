#!/usr/bin/env node
// `pnpm release:check`: what each published package would look like on npm.
// Packs every package with pnpm (as `pnpm publish` would: workspace: ranges
// rewritten), then lints the tarball with publint (package.json fields
// against the files actually packed) and @arethetypeswrong/cli (type
// resolution of every entry point under node10, node16 CJS/ESM and bundler),
// plus checks of our own: no workspace: range left, every bin packed, a
// LICENSE in each, and the addon's prebuilt binaries for linux-x64 and
// linux-arm64 (built first by packages/native/scripts/prebuild.mjs).
// Prints one block per package and exits 1 when anything is reported.
// Expects built packages (the root script runs turbo's build first).
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { publint } from "publint";
import { formatMessage } from "publint/utils";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const PUBLISHED = ["format", "settings", "native", "runtime", "sdk", "server"];
const attw = join(root, "node_modules", ".bin", "attw");

/** File names and package.json of a .tgz, read with zlib and the tar header layout (512-byte blocks). */
function readTarball(bytes) {
  const tar = gunzipSync(bytes);
  const files = [];
  let manifest = null;
  for (let at = 0; at + 512 <= tar.length; ) {
    const field = (offset, length) => tar.toString("utf8", at + offset, at + offset + length).replace(/\0.*$/s, "");
    // ustar keeps long paths as prefix (offset 345) + name (offset 0).
    const name = field(345, 155) ? `${field(345, 155)}/${field(0, 100)}` : field(0, 100);
    if (!name) break;
    const size = parseInt(field(124, 12).trim() || "0", 8);
    const path = name.replace(/^package\//, "");
    files.push(path);
    if (path === "package.json") manifest = JSON.parse(tar.toString("utf8", at + 512, at + 512 + size));
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return { files, manifest };
}

/** Problems our own checks find in the packed package.json and file list. */
function ownChecks({ files, manifest }) {
  const problems = [];
  if (!files.includes("LICENSE")) problems.push("no LICENSE file");
  if (manifest.name === "@trt/native") {
    for (const target of ["linux-x64", "linux-arm64"]) {
      if (!files.includes(`prebuilds/${target}/trt_native.node`)) problems.push(`no prebuilt addon for ${target} (node scripts/prebuild.mjs)`);
    }
  }
  for (const field of ["dependencies", "optionalDependencies", "peerDependencies"]) {
    for (const [dep, range] of Object.entries(manifest[field] ?? {})) {
      if (String(range).startsWith("workspace:")) problems.push(`${field}.${dep} is still ${range}`);
    }
  }
  for (const [bin, target] of Object.entries(typeof manifest.bin === "string" ? { [manifest.name]: manifest.bin } : (manifest.bin ?? {}))) {
    if (!files.includes(target.replace(/^\.\//, ""))) problems.push(`bin ${bin} -> ${target} is not in the tarball`);
  }
  return problems;
}

/** @arethetypeswrong/cli's problems, one line each. */
function attwProblems(tarball) {
  const r = spawnSync(attw, [tarball, "--format", "json"], { encoding: "utf8" });
  if (!r.stdout.trim()) return [`attw did not run: ${r.stderr.trim()}`];
  const { problems } = JSON.parse(r.stdout);
  return Object.values(problems ?? {})
    .flat()
    .map((p) => `${p.kind}: ${p.entrypoint ? `"${p.entrypoint}"` : ""}${p.resolutionKind ? ` under ${p.resolutionKind} resolution` : ""}${p.fileName ? ` (${p.fileName})` : ""}`);
}

// The addon's prebuilt binaries go into its tarball: both CPUs, or the check fails (prebuild.mjs says which compiler is missing).
const prebuilt = spawnSync(process.execPath, [join(root, "packages", "native", "scripts", "prebuild.mjs")], { stdio: "inherit" });
if (prebuilt.status !== 0) console.error("release check: the addon's prebuilt binaries could not all be built; @trt/native is reported below");

const out = mkdtempSync(join(tmpdir(), "trt-release-"));
let failed = 0;
try {
  for (const name of PUBLISHED) {
    const dir = join(root, "packages", name);
    execFileSync("pnpm", ["pack", "--pack-destination", out], { cwd: dir, stdio: "pipe" });
    const file = readdirSync(out).find((f) => f.startsWith(`trt-${name}-`));
    const tarball = join(out, file);
    const bytes = readFileSync(tarball);
    const contents = readTarball(bytes);
    const { messages, pkg } = await publint({ pack: { tarball: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) }, level: "suggestion" });
    const sections = {
      publint: messages.map((m) => `${m.type}: ${formatMessage(m, pkg).replace(/\x1b\[[0-9;]*m/g, "")}`),
      attw: attwProblems(tarball),
      package: ownChecks(contents),
    };
    const size = `${(statSync(tarball).size / 1024).toFixed(0)} KiB packed, ${contents.files.length} files`;
    console.log(`${contents.manifest.name} ${contents.manifest.version}  (${file}, ${size})`);
    for (const [tool, problems] of Object.entries(sections)) {
      console.log(`  ${tool.padEnd(8)}${problems.length === 0 ? "ok" : `${problems.length} problem${problems.length > 1 ? "s" : ""}`}`);
      for (const p of problems) console.log(`    - ${p}`);
      failed += problems.length;
    }
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}
console.log(failed === 0 ? "\nrelease check: every package is ready to publish" : `\nrelease check: ${failed} problem${failed > 1 ? "s" : ""} to fix before publishing`);
process.exit(failed === 0 ? 0 : 1);
