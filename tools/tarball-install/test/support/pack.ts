/**
 * The published packages as npm would publish them: the addon's prebuilt
 * binaries made first (this machine's CPU from the current build, the other
 * one cross-compiled where this machine has that compiler), then `pnpm pack`
 * of each package (which rewrites workspace: ranges), and what each tarball holds.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";

export const repo = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..");
export const PUBLISHED = ["format", "settings", "native", "runtime", "sdk", "server"] as const;
export type Published = (typeof PUBLISHED)[number];

/** One `pnpm pack` or a prebuild: seconds alone; a cross-compile takes about a minute on two busy cores. */
const TOOL_TIMEOUT_MS = 300_000;

// Asynchronous, so the test worker stays responsive to vitest while a compile or a pack runs.
const run = promisify(execFile);

/** Makes the addon's prebuilt binaries (prebuild.mjs --available); returns its report (stderr). */
export async function prebuild(): Promise<string> {
  const { stderr } = await run(process.execPath, [join(repo, "packages", "native", "scripts", "prebuild.mjs"), "--available"], { timeout: TOOL_TIMEOUT_MS });
  return stderr;
}

/** Packs every published package into `dir`; returns each tarball's path. */
export async function packAll(dir: string): Promise<Record<Published, string>> {
  for (const name of PUBLISHED) await run("pnpm", ["pack", "--pack-destination", dir], { cwd: join(repo, "packages", name), timeout: TOOL_TIMEOUT_MS });
  const files = readdirSync(dir);
  return Object.fromEntries(PUBLISHED.map((name) => [name, join(dir, files.find((f) => f.startsWith(`trt-${name}-`))!)])) as Record<Published, string>;
}

/** The file names in a .tgz (tar's 512-byte blocks: ustar name at 0, prefix at 345, size at 124). */
export function tarballFiles(path: string): string[] {
  const tar = gunzipSync(readFileSync(path));
  const files: string[] = [];
  for (let at = 0; at + 512 <= tar.length; ) {
    const field = (offset: number, length: number): string => tar.toString("utf8", at + offset, at + offset + length).replace(/\0.*$/s, "");
    const name = field(345, 155) ? `${field(345, 155)}/${field(0, 100)}` : field(0, 100);
    if (!name) break;
    files.push(name.replace(/^package\//, ""));
    at += 512 + Math.ceil(parseInt(field(124, 12).trim() || "0", 8) / 512) * 512;
  }
  return files;
}
