// @trt/sdk re-exports the public API of @trt/format (and its /node entry),
// @trt/settings and @trt/runtime, the same objects, for import and require;
// @trt/sdk/native re-exports @trt/native.
import { createRequire } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type * as SdkApi from "../src/index.js";
import { pkg } from "./support/cli.js";

const require = createRequire(join(pkg, "package.json"));
// The package imports itself by name (its exports map, i.e. the built dist/). The names are
// held in variables so that typecheck, which runs before this package is built, does not look for dist/*.d.ts.
const SDK: string = "@trt/sdk";
const SDK_NATIVE: string = "@trt/sdk/native";
const SDK_ADVANCED: string = "@trt/sdk/advanced";

describe("@trt/sdk", () => {
  it.each(["@trt/format", "@trt/format/node", "@trt/settings", "@trt/runtime"])("re-exports every export of %s (ESM)", async (name) => {
    const sdk = (await import(SDK)) as Record<string, unknown>;
    const source = (await import(name)) as Record<string, unknown>;
    const names = Object.keys(source).filter((n) => n !== "default");
    expect(names.length).toBeGreaterThan(5);
    for (const n of names) expect(sdk[n], n).toBe(source[n]);
  });

  it("re-exports the same for require()", () => {
    const sdk = require(SDK) as Record<string, unknown>;
    for (const name of ["@trt/format", "@trt/format/node", "@trt/settings", "@trt/runtime"]) {
      const source = require(name) as Record<string, unknown>;
      for (const n of Object.keys(source)) expect(sdk[n], `${name}: ${n}`).toBe(source[n]);
    }
  });

  it("@trt/sdk/advanced re-exports the layers under the root entries (the same objects)", async () => {
    const advanced = (await import(SDK_ADVANCED)) as Record<string, unknown>;
    const sources = ["@trt/runtime/advanced", "@trt/settings/advanced", "@trt/format/tuple", "@trt/format/container", "@trt/format/pickle", "@trt/format/zip"];
    for (const name of sources) {
      const source = (await import(name)) as Record<string, unknown>;
      const names = Object.keys(source).filter((n) => n !== "default");
      expect(names.length, name).toBeGreaterThan(3);
      for (const n of names) expect(advanced[n], `${name}: ${n}`).toBe(source[n]);
    }
    // A class reached through either entry is one class: the CommonJS builds share their chunks too.
    const runtime = require("@trt/runtime") as Record<string, unknown>;
    const runtimeAdvanced = require("@trt/runtime/advanced") as Record<string, unknown>;
    expect(runtimeAdvanced.FfiBackend).toBeTypeOf("function");
    expect((require(SDK) as Record<string, unknown>).TensorRTModule).toBe(runtime.TensorRTModule);
  });

  it("adds the .npy reader and writer", async () => {
    const sdk = (await import(SDK)) as typeof SdkApi;
    const bytes = sdk.encodeNpy({ dtype: "int32", shape: [2], data: Int32Array.of(1, 2) });
    expect(sdk.decodeNpy(bytes).data).toEqual(Int32Array.of(1, 2));
  });

  it("@trt/sdk/native is @trt/native", async () => {
    const native = (await import(SDK_NATIVE)) as Record<string, unknown>;
    const source = (await import("@trt/native")) as Record<string, unknown>;
    for (const n of Object.keys(source)) expect(native[n], n).toBe(source[n]);
    expect(typeof native.probeNative).toBe("function");
    expect((require(SDK_NATIVE) as Record<string, unknown>).probeNative).toBe(require("@trt/native").probeNative);
  });

  it("require(): an error from TensorRTModule.load is an instance of the FormatError require() gives, and of the ESM one", async () => {
    const bad = join(pkg, "package.json"); // JSON, not an engine file
    const cjs = require(SDK) as typeof SdkApi;
    const esm = (await import(SDK)) as typeof SdkApi;
    const error: unknown = await cjs.TensorRTModule.load(bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(cjs.FormatError);
    expect(error).toBeInstanceOf(esm.FormatError);
    expect((error as SdkApi.FormatError).code).toBe("BAD_MAGIC");
    const fromSync: unknown = (() => {
      try {
        cjs.readEngineFileSync(bad);
      } catch (e) {
        return e;
      }
    })();
    expect(fromSync).toBeInstanceOf(cjs.FormatError);
    expect(() => cjs.decodeNpy(new Uint8Array(4))).toThrow(esm.NpyError);
    expect(() => esm.decodeNpy(new Uint8Array(4))).toThrow(cjs.NpyError);
  });
});
