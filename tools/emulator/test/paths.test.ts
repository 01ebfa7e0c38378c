import type * as nodeFs from "node:fs";
import { existsSync } from "node:fs";
import { basename, join } from "node:path";

import { afterEach, describe, expect, it, vi } from "vitest";

import { emulatorLibraryPath, emulatorPackageRoot, fixturesDir } from "../src/index.js";

describe("paths", () => {
  afterEach(() => {
    vi.doUnmock("node:fs");
    vi.resetModules();
  });

  it("finds the package root and the fixtures folder", () => {
    expect(basename(emulatorPackageRoot())).toBe("emulator");
    expect(existsSync(join(emulatorPackageRoot(), "package.json"))).toBe(true);
    expect(fixturesDir()).toBe(join(emulatorPackageRoot(), "fixtures", "out"));
  });

  it("returns the built library (the test script runs after the build)", () => {
    for (const major of [10, 11] as const) {
      const path = emulatorLibraryPath(major);
      expect(path.endsWith(`lib${major}/libnvinfer.so.${major}`)).toBe(true);
      expect(existsSync(path)).toBe(true);
    }
  });

  it("refuses unknown majors", () => {
    expect(() => emulatorLibraryPath(12 as never)).toThrow("major must be 10 or 11, got 12");
  });

  it("says how to build the library when it is missing", async () => {
    vi.doMock("node:fs", async (importOriginal) => {
      const fs = await importOriginal<typeof nodeFs>();
      return { ...fs, existsSync: (p: string) => !String(p).includes("libnvinfer") && fs.existsSync(p) };
    });
    const paths = await import("../src/paths.js");
    expect(() => paths.emulatorLibraryPath(11)).toThrow(/libnvinfer\.so\.11 is not built .*pnpm --filter @trt\/emulator build/);
  });
});
