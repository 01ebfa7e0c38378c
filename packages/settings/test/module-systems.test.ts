// A SettingsError thrown by the ESM build is an instance of the CommonJS build's class
// and the other way round: a program can hold both builds (an ESM app with a CommonJS
// dependency). Checked on the built package in a fresh node process.
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const dist = join(dirname(fileURLToPath(import.meta.url)), "..", "dist");
/** Starting node takes well under a second; the bound is for two busy cores. */
const CHILD_TIMEOUT_MS = 60_000;

describe("SettingsError across the ESM and CommonJS builds", () => {
  it("is one class for instanceof, whichever build threw it", () => {
    const script = `
      const cjs = require(${JSON.stringify(join(dist, "index.cjs"))});
      import(${JSON.stringify(join(dist, "index.js"))}).then((esm) => {
        const caught = (m) => { try { m.RuntimeSettings.from({ cudaGraphStrategy: "sometimes" }); } catch (e) { return e; } };
        const fromEsm = caught(esm);
        const fromCjs = caught(cjs);
        process.stdout.write(JSON.stringify({
          code: fromEsm.code,
          twoClasses: esm.SettingsError !== cjs.SettingsError,
          across: [fromEsm instanceof cjs.SettingsError, fromCjs instanceof esm.SettingsError],
          plainError: new Error("x") instanceof cjs.SettingsError,
        }));
      });`;
    const r = spawnSync(process.execPath, ["-e", script], { encoding: "utf8", timeout: CHILD_TIMEOUT_MS });
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout)).toEqual({ code: "TRT_INVALID_SETTING", twoClasses: true, across: [true, true], plainError: false });
  });
});
