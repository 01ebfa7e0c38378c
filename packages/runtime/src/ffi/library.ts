/**
 * Finding and loading libnvinfer: search order, version probe, ABI table
 * choice and emulator detection. Loading happens once per path per process
 * (dlopen is reference-counted anyway; the cache keeps koffi's handle and the
 * entry points together).
 */
import koffi from "koffi";
import type { LibraryHandle } from "koffi";
import { supportedMajors, abiTables } from "../abi/tables.generated.js";
import type { AbiTable } from "../abi/tables.generated.js";
import type { TensorRTLibraryInfo } from "../engine/contract.js";
import { RuntimeUnavailableError } from "../errors/index.js";
import { parseLibVersion, selectAbiTable } from "./version.js";
import type { LibraryVersion } from "./version.js";

/** Environment variable naming the libnvinfer to load (a path, or a name for the system loader). */
export const NVINFER_PATH_ENV = "TRT_NVINFER_PATH";

export interface TensorRTLoadOptions {
  /** Explicit library path; tried first and alone when given. */
  readonly path?: string;
  /** Environment to read TRT_NVINFER_PATH from (default process.env). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** What the emulator says about itself through trtEmulatorInfo(). */
export interface EmulatorInfo {
  readonly version: string;
  readonly mode: "host" | "cuda";
  /** Everything else its JSON holds. */
  readonly raw: Readonly<Record<string, unknown>>;
}

/** A loaded libnvinfer with its entry points and the ABI table its version selects. */
export interface LoadedTensorRT {
  readonly info: TensorRTLibraryInfo;
  readonly version: LibraryVersion;
  readonly table: AbiTable;
  readonly emulator: EmulatorInfo | null;
  /** createInferRuntime_INTERNAL(ILogger*, version) -> IRuntime* (a wrapper pointer), 0 on failure. */
  readonly createInferRuntime: (logger: number, version: number) => number;
  readonly handle: LibraryHandle;
}

const loaded = new Map<string, LoadedTensorRT>();

/** Candidates in search order: explicit path, TRT_NVINFER_PATH, then each supported major's soname, newest first. */
export function libraryCandidates(options: TensorRTLoadOptions = {}): string[] {
  if (options.path) return [options.path];
  const env = options.env ?? process.env;
  const out: string[] = [];
  const fromEnv = env[NVINFER_PATH_ENV];
  if (fromEnv) out.push(fromEnv);
  for (const major of [...supportedMajors].sort((a, b) => b - a)) out.push(abiTables[major].libraryFile);
  return out;
}

/**
 * Loads the first candidate that opens, reports a supported version and has
 * the entry points. Throws RuntimeUnavailableError listing every path tried
 * and why each failed.
 */
export function loadTensorRT(options: TensorRTLoadOptions = {}): LoadedTensorRT {
  const candidates = libraryCandidates(options);
  const failures: string[] = [];
  let versionError: RuntimeUnavailableError | null = null;
  for (const candidate of candidates) {
    const cached = loaded.get(candidate);
    if (cached) return cached;
    try {
      const lib = openTensorRT(candidate);
      loaded.set(candidate, lib);
      return lib;
    } catch (error) {
      if (error instanceof RuntimeUnavailableError && !versionError) versionError = error;
      failures.push(`${candidate}: ${error instanceof RuntimeUnavailableError ? error.reason : describe(error)}`);
    }
  }
  // A library that loaded but has an unsupported version is the more useful story to tell.
  if (versionError && candidates.length === 1) throw versionError;
  throw new RuntimeUnavailableError({
    component: "tensorrt",
    expected: `a loadable TensorRT runtime library (${supportedMajors.map((m) => abiTables[m].libraryFile).join(" or ")})`,
    reason: failures.join("; "),
    fix: `Install TensorRT ${supportedMajors.join(" or ")} so the system loader finds it (LD_LIBRARY_PATH or ldconfig), or set ${NVINFER_PATH_ENV} to the full path of libnvinfer.so.N.`,
    pathsTried: candidates,
  });
}

function openTensorRT(path: string): LoadedTensorRT {
  const handle = koffi.load(path);
  let getVersion: () => number;
  try {
    getVersion = handle.func("getInferLibVersion", "int32_t", []) as () => number;
  } catch (error) {
    throw new RuntimeUnavailableError({
      component: "tensorrt",
      expected: "a library exporting getInferLibVersion",
      reason: `${path} has no getInferLibVersion symbol, so it is not TensorRT's libnvinfer (${describe(error)})`,
      fix: `Point ${NVINFER_PATH_ENV} at libnvinfer.so.N.`,
      pathsTried: [path],
    });
  }
  const version = parseLibVersion(getVersion());
  const table = selectAbiTable(version);
  const create = handle.func("createInferRuntime_INTERNAL", "uintptr_t", ["uintptr_t", "int32_t"]) as (
    logger: number,
    version: number,
  ) => number;
  const emulator = readEmulatorInfo(handle);
  return {
    info: {
      path,
      version: { major: version.major, minor: version.minor, patch: version.patch, raw: version.raw },
      emulator: emulator ? { version: emulator.version, mode: emulator.mode } : null,
    },
    version,
    table,
    emulator,
    createInferRuntime: create,
    handle,
  };
}

/** The emulator exports trtEmulatorInfo() -> JSON; real TensorRT does not, so a missing symbol means "not the emulator". */
function readEmulatorInfo(handle: LibraryHandle): EmulatorInfo | null {
  let fn: () => string | null;
  try {
    fn = handle.func("trtEmulatorInfo", "const char*", []) as () => string | null;
  } catch {
    return null;
  }
  const text = fn();
  if (!text) return null;
  const raw = JSON.parse(text) as Record<string, unknown>;
  if (raw.emulator !== true) return null;
  const mode = raw.mode === "cuda" ? "cuda" : "host";
  const version = typeof raw.version === "string" || typeof raw.version === "number" ? String(raw.version) : "unknown";
  return { version, mode, raw };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
