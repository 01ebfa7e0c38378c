/**
 * Loading @trt/native lazily. It is an optional dependency: a user who
 * installed only @trt/format and @trt/runtime has no addon, and importing
 * this package must still work. So the package is required on first use,
 * inside a try, never imported at the top of a module; a missing package
 * becomes a RuntimeUnavailableError that says how to get it.
 */
import { createRequire } from "node:module";
import { RuntimeUnavailableError } from "../errors/index.js";
import type { NativeBindingLike, NativeLoader, NativeLoadOptions } from "./binding.js";
import { unavailableFromNative } from "./errors.js";

/** The package that holds the native engine. */
export const NATIVE_PACKAGE = "@trt/native";

interface NativePackage {
  loadNative(options?: NativeLoadOptions): NativeBindingLike;
}

/** `require` resolving from this package (the CommonJS build gets import.meta.url from tsup's shim). */
function localRequire(): NodeJS.Require {
  return createRequire(import.meta.url);
}

function isNotInstalled(error: unknown, specifier: string): boolean {
  const e = error as { code?: unknown; message?: unknown };
  return (
    (e?.code === "MODULE_NOT_FOUND" || e?.code === "ERR_MODULE_NOT_FOUND") &&
    typeof e.message === "string" &&
    e.message.includes(specifier)
  );
}

/**
 * A loader that requires `specifier` (default @trt/native) and calls its
 * loadNative(). Every failure is a RuntimeUnavailableError naming the native
 * engine, with the addon's reason, the paths it tried and how to fix it.
 */
export function createNativeLoader(specifier: string = NATIVE_PACKAGE): NativeLoader {
  return (options) => {
    let pkg: NativePackage;
    try {
      pkg = localRequire()(specifier) as NativePackage;
    } catch (error) {
      if (isNotInstalled(error, specifier)) {
        throw new RuntimeUnavailableError({
          component: "native",
          expected: `the optional package ${specifier}`,
          reason: `${specifier} is not installed`,
          fix: `Install it (\`npm install ${specifier}\`; it builds its addon with cmake and a C++17 compiler), or select the ffi engine: setRuntime("ffi") or TRT_RUNTIME=ffi.`,
          cause: error,
        });
      }
      throw unavailableFromNative(error);
    }
    if (typeof pkg?.loadNative !== "function") {
      throw new RuntimeUnavailableError({
        component: "native",
        expected: `${specifier} exporting loadNative()`,
        reason: `${specifier} loaded but has no loadNative function (a version this runtime does not know)`,
        fix: `Install the ${specifier} version that matches @trt/runtime.`,
      });
    }
    try {
      return pkg.loadNative(withoutUndefined(options));
    } catch (error) {
      throw unavailableFromNative(error);
    }
  };
}

/** Only the options that are set: for the others the addon applies its own fallbacks (environment, system loader). */
function withoutUndefined(options: NativeLoadOptions): NativeLoadOptions {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as NativeLoadOptions;
}

/** The loader used unless an environment is given another. */
export const defaultNativeLoader: NativeLoader = createNativeLoader();
