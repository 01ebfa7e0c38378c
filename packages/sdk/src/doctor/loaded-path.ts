/**
 * Where the system loader found a library loaded by soname: the file mapped
 * into this process, read from /proc/self/maps (Linux). `trt doctor` shows it
 * next to the name that was asked for, so "libnvinfer.so.10" becomes a path
 * the user can check.
 */
import { readFileSync } from "node:fs";
import { basename } from "node:path";

/** Every file mapped into this process (empty where /proc/self/maps cannot be read). */
export function mappedFiles(): Set<string> {
  let maps: string;
  try {
    maps = readFileSync("/proc/self/maps", "utf8");
  } catch {
    return new Set();
  }
  const out = new Set<string>();
  for (const line of maps.split("\n")) {
    const at = line.indexOf("/");
    if (at >= 0) out.add(line.slice(at).trim());
  }
  return out;
}

/**
 * The mapped file whose name starts with `soname`'s base name, or null (not
 * Linux, or not mapped). Where `before` (the mapped files before the load) is
 * given, a file that appeared since is preferred, so two files of the same
 * name (a system copy and a pip copy) are told apart.
 */
export function loadedPathOf(soname: string, before?: ReadonlySet<string>): string | null {
  const name = basename(soname);
  const matching = [...mappedFiles()].filter((path) => basename(path).startsWith(name));
  return matching.find((path) => before !== undefined && !before.has(path)) ?? matching[0] ?? null;
}
