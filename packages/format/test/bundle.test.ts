// The core bundle must run in a browser: no `node:` imports, no require of Node
// built-ins, in any entry but `node` (dist/index.js, tuple.js, container.js,
// pickle.js, zip.js and their .cjs), or any chunk they pull in.
import { existsSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const pkgDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(pkgDir, "dist");

// Every module specifier a built file imports or requires.
function specifiers(code: string): string[] {
  const found: string[] = [];
  const patterns = [/\bfrom\s*["']([^"']+)["']/g, /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g, /\brequire\s*\(\s*["']([^"']+)["']\s*\)/g, /^\s*import\s*["']([^"']+)["']/gm];
  for (const re of patterns) for (const m of code.matchAll(re)) found.push(m[1] as string);
  return found;
}

function closure(entry: string): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    const specs = specifiers(readFileSync(file, "utf8"));
    seen.set(file, specs);
    for (const s of specs) if (s.startsWith(".")) visit(join(dirname(file), s));
  };
  visit(entry);
  return seen;
}

describe("core bundle", () => {
  const built = existsSync(join(dist, "index.js")) && existsSync(join(dist, "index.cjs"));

  it("is built (run `pnpm build` first; turbo's test task depends on it)", () => {
    expect(built).toBe(true);
  });

  // Every entry but `node`: the root and the layers under it (tuple, container, pickle, zip).
  const coreEntries = ["index", "tuple", "container", "pickle", "zip"].flatMap((e) => [`${e}.js`, `${e}.cjs`]);
  it.each(coreEntries)("%s and its chunks import nothing from Node", (entry) => {
    const files = closure(join(dist, entry));
    const builtins = new Set(builtinModules);
    for (const [file, specs] of files) {
      const offending = specs.filter((s) => s.startsWith("node:") || builtins.has(s) || builtins.has(s.split("/")[0] as string));
      expect(offending, file).toEqual([]);
      expect(readFileSync(file, "utf8"), file).not.toMatch(/\bprocess\.(env|versions|platform)|\bBuffer\./);
    }
    expect(files.size).toBeGreaterThanOrEqual(1);
  });

  it("the node entry does use Node (so the check above is not vacuous)", () => {
    const specs = [...closure(join(dist, "node.js")).values()].flat();
    const builtins = new Set(builtinModules);
    expect(specs.some((s) => s.startsWith("node:") || builtins.has(s))).toBe(true);
  });

  it("the package has no runtime dependencies", () => {
    const pkg = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8")) as Record<string, unknown>;
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(pkg.peerDependencies ?? {}).toEqual({});
  });
});
