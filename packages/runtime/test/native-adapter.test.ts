/**
 * The native adapter: @trt/native's object types fit what the adapter and an
 * injected loader take (checked by the compiler: this file is type-checked),
 * the addon's coded errors become this package's error classes, and the
 * package stays optional although the engine contract's types come from it.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { NativeBackend, NativeBinding, NativeEngine, NativeExecutionContext } from "@trt/native";
import ts from "typescript";
import { describe, expect, expectTypeOf, it } from "vitest";
import type { EngineHandle, ExecutionContextHandle, TensorRTBackend } from "../src/engine/contract.js";
import { CudaError, InputError, ReleasedError, RuntimeUnavailableError, TensorRTCallError } from "../src/errors/index.js";
import { NativeBackendAdapter } from "../src/native/adapter.js";
import type { NativeContextAdapter, NativeEngineAdapter } from "../src/native/adapter.js";
import type { NativeBackendLike, NativeBindingLike, NativeContextLike, NativeEngineLike } from "../src/native/binding.js";
import { fromNativeError, unavailableFromNative } from "../src/native/errors.js";
import { BOTH, environmentFor, plan } from "./support/runtime.js";

const built = existsSync(new URL("../dist/index.js", import.meta.url)) && existsSync(new URL("../dist/index.d.ts", import.meta.url));
if (!built) console.log("[native-adapter] built-output checks skipped: dist/ is not built (run `pnpm --filter @trt/runtime build`)");

const coded = (code: string, message: string, fields: Record<string, unknown> = {}) => Object.assign(new Error(message), { code, ...fields });

describe("native adapter", () => {
  it("the addon's types are assignable to what the adapter takes of them", () => {
    expectTypeOf<NativeBackend>().toMatchTypeOf<NativeBackendLike>();
    expectTypeOf<NativeEngine>().toMatchTypeOf<NativeEngineLike>();
    expectTypeOf<NativeExecutionContext>().toMatchTypeOf<NativeContextLike>();
    expectTypeOf<NativeBinding>().toMatchTypeOf<NativeBindingLike>();
    expectTypeOf<NativeBackendAdapter>().toMatchTypeOf<TensorRTBackend>();
    expectTypeOf<NativeEngineAdapter>().toMatchTypeOf<EngineHandle>();
    expectTypeOf<NativeContextAdapter>().toMatchTypeOf<ExecutionContextHandle>();
  });

  it("maps each addon error code to this package's class, keeping the details", () => {
    const trt = fromNativeError(coded("TRT_TENSORRT_ERROR", "x", { method: "IExecutionContext::setInputShape", tensorrtMessage: "dims out of range", tensor: "a" }));
    expect(trt).toBeInstanceOf(TensorRTCallError);
    expect(trt).toMatchObject({ method: "IExecutionContext::setInputShape", loggerMessage: "dims out of range" });
    expect((trt as Error).message).toContain('tensor "a"');
    expect(fromNativeError(coded("TRT_RELEASED", "gone", { method: "execute" }))).toBeInstanceOf(ReleasedError);
    // An input error's problem, tensor, expected and found come from the addon's fields, never from its message.
    const input = fromNativeError(
      coded("TRT_INPUT_ERROR", "execute: expected rank 2 for input 'x' (the engine's); found rank 3", {
        problem: "rank",
        tensor: "x",
        expected: "rank 2 for input 'x' (the engine's)",
        found: "rank 3",
      }),
    );
    expect(input).toBeInstanceOf(InputError);
    expect(input).toMatchObject({ problem: "rank", tensor: "x", expected: "rank 2 for input 'x' (the engine's)", found: "rank 3" });
    expect(fromNativeError(coded("TRT_INPUT_ERROR", "addresses: the word name and the word rank", { problem: "count", tensor: null, expected: "3 addresses", found: "2 entries" }))).toMatchObject({
      problem: "count",
      tensor: null,
    });
    expect(fromNativeError(coded("TRT_INPUT_ERROR", "x", { problem: "nonsense" }))).toMatchObject({ problem: "argument" });
    expect(fromNativeError(coded("TRT_CUDA_ERROR", "oom", { function: "cudaMallocAsync", cudaError: 2, cudaErrorName: "cudaErrorMemoryAllocation" }))).toMatchObject({
      function: "cudaMallocAsync",
      status: 2,
      errorName: "cudaErrorMemoryAllocation",
    });
    expect(fromNativeError(coded("TRT_CUDA_ERROR", "oom"))).toBeInstanceOf(CudaError);
    expect(fromNativeError(coded("TRT_UNSUPPORTED", "too old", { method: "getAliasedInputTensor" }))).toMatchObject({ component: "tensorrt" });
    const plain = new TypeError("not ours");
    expect(fromNativeError(plain)).toBe(plain);
  });

  it("turns the addon's unavailability into the runtime's, with reason, paths and fix", () => {
    const error = unavailableFromNative(
      Object.assign(new Error("The native TensorRT engine is unavailable (binary-missing): not built\nTried: ..."), {
        code: "TRT_RUNTIME_UNAVAILABLE",
        reason: "binary-missing",
        tried: ["/a/trt_native.node: no such file"],
        fix: "Run pnpm rebuild.",
      }),
    );
    expect(error).toBeInstanceOf(RuntimeUnavailableError);
    expect(error).toMatchObject({ component: "native", reason: "binary-missing: The native TensorRT engine is unavailable (binary-missing): not built" });
    expect(error.pathsTried).toEqual(["/a/trt_native.node: no such file"]);
    expect(error.fix).toMatch(/Run pnpm rebuild\. Or select the ffi engine/);
  });

  it.runIf(BOTH)("wraps real addon objects: contract members, released checks, inspector with a wrapped context", async () => {
    const backend = environmentFor(10).backend("native");
    expect(backend).toBeInstanceOf(NativeBackendAdapter);
    const engine = await backend.deserialize(plan("mlp3"));
    const context = engine.createContext("static");
    expect(context.inferOutputShapes(new Float64Array([2, 3, 16]))).toEqual([[3, 8]]);
    expect(JSON.parse(engine.engineInformation(context))).toBeTypeOf("object");
    await expect(backend.deserialize(new Uint8Array([1, 2, 3]))).rejects.toBeInstanceOf(TensorRTCallError);
    context.release();
    expect(() => context.inferOutputShapes(new Float64Array([2, 3, 16]))).toThrow(ReleasedError);
    engine.release();
    expect(engine.released).toBe(true);
    expect(() => engine.createContext("static")).toThrow(ReleasedError);
  });
});

describe("@trt/native stays optional", () => {
  const NATIVE = "@trt/native";

  it("sources name it only in type-only imports and exports (erased from the build), never in a value import", () => {
    const root = new URL("../src", import.meta.url).pathname;
    const files = (readdirSync(root, { recursive: true }) as string[]).filter((f) => f.endsWith(".ts"));
    const typeOnly: string[] = [];
    const offenders: string[] = [];
    for (const file of files) {
      const source = ts.createSourceFile(file, readFileSync(join(root, file), "utf8"), ts.ScriptTarget.ES2022, true);
      const visit = (node: ts.Node): void => {
        // `import { type X } from` is not type-only: under verbatimModuleSyntax it leaves `import {} from`, which loads the package.
        if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier) && node.moduleSpecifier.text === NATIVE) {
          const erased = ts.isImportDeclaration(node) ? node.importClause?.isTypeOnly === true : node.isTypeOnly;
          (erased ? typeOnly : offenders).push(`${file}: ${node.getText(source)}`);
        } else if (ts.isCallExpression(node) && node.arguments.some((a) => ts.isStringLiteral(a) && a.text === NATIVE)) {
          offenders.push(`${file}: ${node.getText(source)}`);
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
    expect(offenders).toEqual([]);
    // The contract's types are taken from there, so the scan must have seen them.
    expect(typeOnly.some((line) => line.startsWith("engine/contract.ts: export type"))).toBe(true);
  });

  it.runIf(built)("the built JavaScript never imports it, and the built declarations do not need it", () => {
    // Every file of the build: the entries (index, advanced) and the chunks they share.
    const dir = new URL("../dist/", import.meta.url);
    const files = (readdirSync(dir) as string[]).filter((f) => /\.(c?js|d\.c?ts)$/.test(f));
    const text = (name: string) => readFileSync(new URL(name, dir), "utf8");
    const loads = /(\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*)["']@trt\/native["']/;
    expect(files).toEqual(expect.arrayContaining(["index.js", "index.cjs", "index.d.ts", "advanced.js", "advanced.d.ts"]));
    for (const name of files) expect(loads.test(text(name)), name).toBe(false);
    // The loader names it through this constant, for a require() at first use.
    expect(files.some((name) => name.endsWith(".js") && text(name).includes('NATIVE_PACKAGE = "@trt/native"'))).toBe(true);
    // The contract's declarations are copied in.
    expect(files.some((name) => /interface EngineHandle<Context extends ExecutionContextHandle = ExecutionContextHandle>/.test(text(name)))).toBe(true);
  });
});
