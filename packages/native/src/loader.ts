/**
 * Finding and loading the addon, then the TensorRT library through it.
 *
 * The addon binary: `options.addonPath`, else $TRT_NATIVE_ADDON_PATH, else
 * this package's build/Release/trt_native.node (built from source at install,
 * or by the repository's build), then prebuilds/<platform>-<arch>/trt_native.node
 * (the binaries a release ships for linux-x64 and linux-arm64). libnvinfer and libcudart are then found by the addon (see
 * cpp/dl_search.h): an explicit path option, else TRT_NVINFER_PATH /
 * TRT_CUDART_PATH, else the system loader (libnvinfer.so.11, .so.10;
 * libcudart.so.13, .so.12). A path the user names is the only one tried.
 * @trt/runtime runs the full search itself (pip wheels, lean and dispatch
 * runtimes included) and passes the chosen files as explicit paths.
 */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import { ErrorCodes, NativeUnavailableError, type UnavailableReason } from "./errors.js";
import { installExecuteMethods } from "./execute-methods.js";
import type { NativeAddon, NativeBackend, OpenBackendOptions } from "./types.js";

/** The binding protocol this TS expects from the binary (kBindingVersion in cpp/addon.cc). */
export const BINDING_VERSION = 3;
/** Node-API version the addon is built for (package.json binary.napi_versions). */
export const NAPI_VERSION = 8;

export interface LoadNativeOptions extends OpenBackendOptions {
  /** The compiled addon file; overrides TRT_NATIVE_ADDON_PATH and the package's own build. */
  readonly addonPath?: string;
}

export interface NativeBinding {
  /** The TensorRTBackend (engine contract) over the loaded libnvinfer. */
  readonly backend: NativeBackend;
  /** The compiled module itself (openBackend, versions). */
  readonly addon: NativeAddon;
  readonly addonPath: string;
}

export type ProbeResult =
  | { readonly ok: true; readonly reason: null; readonly tried: readonly string[]; readonly binding: NativeBinding }
  | {
      readonly ok: false;
      readonly reason: UnavailableReason;
      readonly tried: readonly string[];
      readonly error: NativeUnavailableError;
    };

const REBUILD = "Rebuild it: `npm rebuild @trt/native` (`pnpm rebuild @trt/native` with pnpm; needs cmake and a C++17 compiler), or use the ffi engine.";

/** What the install script recorded (scripts/build-addon.mjs writes build/install.json; npm hides its output). */
interface InstallRecord {
  readonly outcome: "prebuilt" | "built" | "none" | "skipped";
  readonly detail: string;
  readonly platform: string;
  /** The rebuild command in the package manager that installed the package. */
  readonly rebuild: string;
}

function installRecord(root: string): InstallRecord | null {
  try {
    return JSON.parse(readFileSync(join(root, "build", "install.json"), "utf8")) as InstallRecord;
  } catch {
    return null;
  }
}

/** Why no binary is there and what to do, from what the install recorded when it did. */
function missingBinaryStory(): { detail: string; fix: string } {
  const record = installRecord(packageRoot());
  const rebuild = record?.rebuild ?? "npm rebuild @trt/native";
  const fix =
    `Install cmake and a C++17 compiler, then run \`${rebuild}\` (in this repository: \`pnpm --filter @trt/native build\`); ` +
    "the package ships prebuilt binaries for linux-x64 and linux-arm64 (glibc 2.36 or newer). Without them, use the ffi engine.";
  if (record?.outcome === "none") return { detail: `the compiled addon (trt_native.node) is missing: at install, ${record.detail}`, fix };
  if (record?.outcome === "skipped") return { detail: `the compiled addon (trt_native.node) is missing: the install skipped it (${record.detail})`, fix };
  return {
    detail:
      "the compiled addon (trt_native.node) was not found; the install uses a prebuilt binary for this platform or builds one from source, and did neither " +
      "(no prebuilt binary and no compiler or cmake at install time, TRT_NATIVE_SKIP_BUILD=1, install scripts disabled, or a failed build)",
    fix,
  };
}

function packageRoot(): string {
  // src/loader.ts and dist/index.{js,cjs} both sit one level below the root.
  return join(dirname(fileURLToPath(import.meta.url)), "..");
}

/** Where the addon binary is looked for, in order. */
export function addonCandidates(options: LoadNativeOptions = {}): { path: string; origin: string }[] {
  if (options.addonPath) return [{ path: options.addonPath, origin: "option addonPath" }];
  const env = process.env.TRT_NATIVE_ADDON_PATH;
  if (env) return [{ path: env, origin: "environment variable TRT_NATIVE_ADDON_PATH" }];
  const root = packageRoot();
  return [
    { path: join(root, "build", "Release", "trt_native.node"), origin: "package build" },
    { path: join(root, "prebuilds", `${process.platform}-${process.arch}`, "trt_native.node"), origin: "prebuild" },
  ];
}

function classifyLoadError(message: string): UnavailableReason {
  return /NODE_MODULE_VERSION|did not self-register|undefined symbol: napi_|invalid ELF header|wrong ELF class|ELFCLASS|GLIBC|GLIBCXX|CXXABI/.test(
    message,
  )
    ? "abi-mismatch"
    : "load-failed";
}

const addons = new Map<string, NativeAddon>();

/** Loads the compiled addon only (no TensorRT yet). Throws NativeUnavailableError. */
export function loadAddon(options: LoadNativeOptions = {}): { addon: NativeAddon; addonPath: string } {
  const tried: string[] = [];
  const nodeNapi = Number(process.versions.napi ?? 0);
  if (nodeNapi < NAPI_VERSION) {
    throw new NativeUnavailableError(
      "abi-mismatch",
      `this Node.js (${process.version}) supports Node-API ${nodeNapi}; the addon needs Node-API ${NAPI_VERSION}`,
      [],
      "Use Node.js 20.9 or newer.",
    );
  }
  const require = createRequire(import.meta.url);
  for (const { path, origin } of addonCandidates(options)) {
    const cached = addons.get(path);
    if (cached) return { addon: cached, addonPath: path };
    if (!existsSync(path)) {
      tried.push(`${path} (${origin}): no such file`);
      continue;
    }
    let addon: NativeAddon;
    try {
      addon = require(path) as NativeAddon;
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      tried.push(`${path} (${origin}): ${message}`);
      const reason = classifyLoadError(message);
      throw new NativeUnavailableError(
        reason,
        reason === "abi-mismatch"
          ? "the addon binary was built for another Node-API, platform or C/C++ runtime"
          : "the addon binary exists but could not be loaded",
        tried,
        REBUILD,
        { cause: e },
      );
    }
    if (addon.bindingVersion !== BINDING_VERSION) {
      tried.push(`${path} (${origin}): binding version ${String(addon.bindingVersion)}, expected ${BINDING_VERSION}`);
      throw new NativeUnavailableError(
        "abi-mismatch",
        "the addon binary was built from another version of @trt/native",
        tried,
        REBUILD,
      );
    }
    installExecuteMethods(addon);
    addons.set(path, addon);
    return { addon, addonPath: path };
  }
  const { detail, fix } = missingBinaryStory();
  throw new NativeUnavailableError("binary-missing", detail, tried, fix);
}

interface AddonUnavailable {
  code: string;
  reason?: UnavailableReason;
  detail?: string;
  tried?: string[];
  fix?: string;
  message: string;
}

const bindings = new Map<string, NativeBinding>();

/**
 * Loads the addon and opens libnvinfer (and libcudart unless the library is
 * the emulator in host mode). Repeated calls with the same options return the
 * same binding. Throws NativeUnavailableError saying why and how to fix it.
 */
export function loadNative(options: LoadNativeOptions = {}): NativeBinding {
  const { addon, addonPath } = loadAddon(options);
  const key = JSON.stringify([
    addonPath,
    options.nvinferPath ?? process.env.TRT_NVINFER_PATH ?? "",
    options.cudartPath ?? process.env.TRT_CUDART_PATH ?? "",
  ]);
  const cached = bindings.get(key);
  if (cached) return cached;
  let backend: NativeBackend;
  try {
    backend = addon.openBackend({
      ...(options.nvinferPath !== undefined ? { nvinferPath: options.nvinferPath } : {}),
      ...(options.cudartPath !== undefined ? { cudartPath: options.cudartPath } : {}),
    });
  } catch (e) {
    const err = e as AddonUnavailable;
    if (err?.code === ErrorCodes.RuntimeUnavailable && err.reason) {
      throw new NativeUnavailableError(err.reason, err.detail ?? err.message, err.tried ?? [], err.fix ?? "", {
        cause: e,
      });
    }
    throw e;
  }
  const binding: NativeBinding = Object.freeze({ backend, addon, addonPath });
  bindings.set(key, binding);
  return binding;
}

/** loadNative without throwing: whether the native engine can run here, and if not, why. */
export function probeNative(options: LoadNativeOptions = {}): ProbeResult {
  try {
    const binding = loadNative(options);
    return { ok: true, reason: null, tried: [binding.addonPath, binding.backend.library.path], binding };
  } catch (e) {
    if (e instanceof NativeUnavailableError) return { ok: false, reason: e.reason, tried: e.tried, error: e };
    const error = new NativeUnavailableError("load-failed", e instanceof Error ? e.message : String(e), [], REBUILD, {
      cause: e,
    });
    return { ok: false, reason: error.reason, tried: [], error };
  }
}
