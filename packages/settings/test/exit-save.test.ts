import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { decodeRuntimeCacheFile } from "../src/advanced.js";
import { CHILD_TEST_TIMEOUT_MS, useFixture } from "./support/child.js";
import { useTempDir } from "./support/temp-dir.js";

const text = (path: string) => new TextDecoder().decode(decodeRuntimeCacheFile(readFileSync(path)));

describe("implicit caches at process exit (child processes)", () => {
  const dir = useTempDir();
  const exitSave = useFixture("exit-save.ts");

  it("are saved when the process ends normally, by process.exit(), or after pending work", async () => {
    const modes = ["natural", "process-exit", "pending-timer", "collector", "released"] as const;
    const results = await Promise.all(modes.map((mode) => exitSave([join(dir.path, `${mode}.cache`), mode])));
    for (const [i, result] of results.entries()) {
      expect(result.stderr).toBe("");
      expect(result.code, modes[i]).toBe(0);
    }
    expect(text(join(dir.path, "natural.cache"))).toBe("written by natural");
    expect(text(join(dir.path, "process-exit.cache"))).toBe("written by process-exit");
    expect(text(join(dir.path, "pending-timer.cache"))).toBe("written by a timer");
    expect(text(join(dir.path, "collector.cache"))).toBe("written by a collector");
    // Saved once, on release; the exit hook no longer owns it.
    expect(text(join(dir.path, "released.cache"))).toBe("written by released");
  }, CHILD_TEST_TIMEOUT_MS);

  it("a save that fails at exit is reported on stderr and does not change the exit code", async () => {
    writeFileSync(join(dir.path, "file"), "");
    const path = join(dir.path, "file", "x.cache");
    const result = await exitSave([path, "natural"]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("[TRT_RUNTIME_CACHE_SAVE_FAILED] TensorRTWarning:");
    expect(existsSync(path)).toBe(false);
  }, CHILD_TEST_TIMEOUT_MS);
});
