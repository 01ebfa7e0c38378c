import { readFileSync } from "node:fs";
import * as vm from "node:vm";
import { transformSync } from "esbuild";
import { describe, expect, it } from "vitest";
import { SettingsScope, runtimeConfig } from "../src/index.js";
import { asyncDisposeSymbol, disposeSymbol } from "../src/advanced.js";
import { FakeModule } from "./support/fake-module.js";

describe("dispose symbols on Node 20", () => {
  it("are Node's own registered symbols", () => {
    expect(disposeSymbol).toBe(Symbol.dispose);
    expect(asyncDisposeSymbol).toBe(Symbol.asyncDispose);
    expect(Symbol.dispose).toBe(Symbol.for("nodejs.dispose"));
    expect(Symbol.asyncDispose).toBe(Symbol.for("nodejs.asyncDispose"));
  });

  it("key the scopes' cleanup, so using finds it", () => {
    const scope = runtimeConfig(new FakeModule(), { cudaGraphStrategy: "whole_graph_capture" });
    expect(typeof scope[Symbol.dispose]).toBe("function");
    expect(Object.getOwnPropertySymbols(SettingsScope.prototype)).toContain(Symbol.dispose);
    scope[Symbol.dispose]();
    expect(scope.active).toBe(false);
  });

  it("are defined, as Node defines them, where the runtime lacks them", () => {
    // A fresh realm has no Symbol.dispose (Node adds it to the main realm only);
    // the global symbol registry is shared, so the result is comparable here.
    const source = readFileSync(new URL("../src/symbols.ts", import.meta.url), "utf8");
    const { code } = transformSync(source, { loader: "ts", format: "cjs", target: "node20" });
    const context = vm.createContext({ module: { exports: {} } });
    expect(vm.runInContext("typeof Symbol.dispose", context)).toBe("undefined");
    vm.runInContext(`(function (module, exports) { ${code} })(module, module.exports)`, context);
    expect(vm.runInContext("Symbol.dispose", context)).toBe(Symbol.for("nodejs.dispose"));
    expect(vm.runInContext("Symbol.asyncDispose", context)).toBe(Symbol.for("nodejs.asyncDispose"));
    expect(vm.runInContext("module.exports.disposeSymbol === Symbol.dispose", context)).toBe(true);
    expect(vm.runInContext("Object.getOwnPropertyDescriptor(Symbol, 'dispose').writable", context)).toBe(false);
  });
});
