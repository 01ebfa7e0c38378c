// vitest globalSetup: runs test/fixtures/make_fixtures.py once into a temporary
// directory and tells the tests where it is (inject("pythonFixtures")). When no
// python3 is on PATH the value is null and the Python interop tests are skipped.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    pythonFixtures: string | null;
  }
}

export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), "trt-format-fixtures-"));
  const script = join(dirname(fileURLToPath(import.meta.url)), "..", "fixtures", "make_fixtures.py");
  // A global setup has no timeout of its own: a python3 that hangs is killed, and the run fails.
  const run = spawnSync("python3", [script, dir], { encoding: "utf8", timeout: 120_000 });
  if (run.error || run.status !== 0) {
    const why = run.error ? run.error.message : run.stderr;
    // Missing python3 is tolerated (tests skip); a failing script is a real failure.
    if (!(run.error && (run.error as NodeJS.ErrnoException).code === "ENOENT")) throw new Error(`make_fixtures.py failed: ${why}`);
    console.warn(`[format] python3 not found (${why}); Python interop tests will be skipped`);
    project.provide("pythonFixtures", null);
  } else {
    project.provide("pythonFixtures", dir);
  }
  return () => rmSync(dir, { recursive: true, force: true });
}
