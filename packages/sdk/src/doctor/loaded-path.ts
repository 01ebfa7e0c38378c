/**
 * Where the system loader found a library loaded by soname: the file mapped
 * into this process, read from /proc/self/maps (Linux). `trt doctor` shows it
 * next to the name that was asked for, so "libnvinfer.so.10" becomes a path
 * the user can check.
 */
import { readFileSync } from "node:fs";
import { basename } from "node:path";

/** The mapped file whose name starts with `soname`'s base name, or null (not Linux, or not mapped). */
export function loadedPathOf(soname: string): string | null {
  let maps: string;
  try {
    maps = readFileSync("/proc/self/maps", "utf8");
  } catch {
    return null;
  }
  const name = basename(soname);
  for (const line of maps.split("\n")) {
    const at = line.indexOf("/");
    if (at < 0) continue;
    const path = line.slice(at).trim();
    if (basename(path).startsWith(name)) return path;
  }
  return null;
}
