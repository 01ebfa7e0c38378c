// The CLI's shape: the commands it offers, the global options, usage errors
// in the `error [CODE]: message` form, and no runtime loaded for inspect.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { cli, trt } from "./support/cli.js";

describe("trt", () => {
  it("lists every command and the global options", () => {
    const { code, stdout } = trt(["--help"]);
    expect(code).toBe(0);
    for (const command of ["inspect", "run", "bench", "convert", "doctor"]) expect(stdout).toMatch(new RegExp(`^  ${command} `, "m"));
    for (const option of ["--runtime <kind>", "--nvinfer <path>", "--cudart <path>"]) expect(stdout).toContain(option);
  });

  it("prints its version", () => {
    expect(trt(["--version"]).stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it.each([
    [["frobnicate"], /^error \[USAGE\]: unknown command 'frobnicate'\n/],
    [["run"], /^error \[USAGE\]: missing required argument 'file'\n/],
    [["--runtime", "gpu", "doctor"], /^error \[USAGE\]: option '--runtime <kind>' argument 'gpu' is invalid\. Allowed choices are native, ffi, auto\.\n/],
    [["inspect", "x", "--bogus"], /^error \[USAGE\]: unknown option '--bogus'\n/],
  ])("%j is a usage error", (args, message) => {
    const r = trt(args);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
  });

  it("loads the runtime (and koffi) only in the commands that run engines", () => {
    // Static imports run at start-up; @trt/runtime and koffi must only appear in import() calls.
    const text = readFileSync(cli, "utf8");
    expect(text).not.toMatch(/from "(@trt\/runtime|koffi|@trt\/native)"/);
    expect(text).toMatch(/import\("@trt\/runtime"\)/);
  });
});
