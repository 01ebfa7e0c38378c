// One FormatError, whichever entry (`@trt/format`, `@trt/format/node`) and module
// system (CommonJS, ESM) threw it: the built package, loaded by its own name as
// an installed copy would be, in a fresh node process.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const pkgDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const tmp = mkdtempSync(join(tmpdir(), "trt-format-cjs-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const bad = join(tmp, "bad.trtengine");
writeFileSync(bad, "not an engine file at all");
/** Starting node takes well under a second; the bound is for two busy cores. */
const CHILD_TIMEOUT_MS = 60_000;

/** Runs `code` as a CommonJS script whose require() resolves from inside the package (its self-reference). */
function cjs(code: string): unknown {
  const script = `const { createRequire } = require("node:module");
    const load = createRequire(${JSON.stringify(join(pkgDir, "package.json"))});
    (async () => { ${code} })().then((v) => process.stdout.write(JSON.stringify(v)), (e) => { console.error(e); process.exit(1); });`;
  const r = spawnSync(process.execPath, ["-e", script, bad], { encoding: "utf8", timeout: CHILD_TIMEOUT_MS });
  if (r.status !== 0) throw new Error(`node failed (${r.signal ?? r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout);
}

describe("FormatError across entries and module systems", () => {
  it("CommonJS: an error from @trt/format/node is an instance of @trt/format's FormatError", () => {
    const result = cjs(`
      const { FormatError, isFormatError } = load("@trt/format");
      const { readEngineFileSync } = load("@trt/format/node");
      try { readEngineFileSync(process.argv[1]); } catch (e) {
        return { instance: e instanceof FormatError, is: isFormatError(e), code: e.code, sameClass: e.constructor === FormatError };
      }
      return "no error";`);
    expect(result).toEqual({ instance: true, is: true, code: "BAD_MAGIC", sameClass: true });
  });

  it("an error thrown by the ESM build is an instance of the CommonJS build's FormatError, and the other way round", () => {
    const result = cjs(`
      const cjsFormat = load("@trt/format");
      const cjsNode = load("@trt/format/node");
      const esmFormat = await import(load.resolve("@trt/format").replace(/index\\.cjs$/, "index.js"));
      const esmNode = await import(load.resolve("@trt/format/node").replace(/node\\.cjs$/, "node.js"));
      const caught = (read) => { try { read(process.argv[1]); } catch (e) { return e; } };
      const fromEsm = caught(esmNode.readEngineFileSync);
      const fromCjs = caught(cjsNode.readEngineFileSync);
      return {
        twoClasses: esmFormat.FormatError !== cjsFormat.FormatError,
        esmErrorIsCjsFormatError: fromEsm instanceof cjsFormat.FormatError,
        cjsErrorIsEsmFormatError: fromCjs instanceof esmFormat.FormatError,
        plainErrorIsNot: new Error("x") instanceof cjsFormat.FormatError || new Error("x") instanceof esmFormat.FormatError,
        lookalikeIsNot: Object.assign(new Error("x"), { name: "FormatError", code: "BAD_MAGIC" }) instanceof cjsFormat.FormatError,
      };`);
    expect(result).toEqual({ twoClasses: true, esmErrorIsCjsFormatError: true, cjsErrorIsEsmFormatError: true, plainErrorIsNot: false, lookalikeIsNot: false });
  });
});
