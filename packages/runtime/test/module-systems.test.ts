// One error class per error, whichever build loads it: a program that holds both the
// ESM and the CommonJS build of @trt/runtime (an ESM app with a CommonJS dependency)
// sees `instanceof` agree across them, and still tell the classes apart. Checked on the
// built package in a fresh node process.
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const pkgDir = join(dirname(fileURLToPath(import.meta.url)), "..");
/** Starting node and loading the runtime takes about a second; the bound is for two busy cores. */
const CHILD_TIMEOUT_MS = 60_000;

describe("runtime errors across the ESM and CommonJS builds", () => {
  it("an error made by one build is an instance of the other build's class and its bases, and of no other class", () => {
    const script = `
      const cjs = require(${JSON.stringify(join(pkgDir, "dist", "index.cjs"))});
      import(${JSON.stringify(join(pkgDir, "dist", "index.js"))}).then((esm) => {
        const details = { problem: "dtype", tensor: "x", expected: "float", found: "int32", fix: "cast" };
        const fromEsm = new esm.InputError(details);
        const fromCjs = new cjs.InputError(details);
        process.stdout.write(JSON.stringify({
          twoClasses: esm.InputError !== cjs.InputError,
          esmIsCjs: [fromEsm instanceof cjs.InputError, fromEsm instanceof cjs.TrtError, fromEsm instanceof Error],
          cjsIsEsm: [fromCjs instanceof esm.InputError, fromCjs instanceof esm.TrtError],
          notOthers: [fromEsm instanceof cjs.RuntimeUnavailableError, fromCjs instanceof esm.TensorRTCallError, new Error("x") instanceof cjs.TrtError, null instanceof cjs.TrtError],
        }));
      });`;
    const r = spawnSync(process.execPath, ["-e", script], { encoding: "utf8", timeout: CHILD_TIMEOUT_MS });
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout)).toEqual({ twoClasses: true, esmIsCjs: [true, true, true], cjsIsEsm: [true, true], notOthers: [false, false, false, false] });
  });
});
