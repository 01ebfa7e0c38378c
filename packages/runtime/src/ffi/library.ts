/**
 * Loading libnvinfer: the first candidate of the shared search order
 * (../libraries/candidates.ts) that opens, exports the entry points and
 * reports a supported version; then the ABI table for that version and
 * emulator detection. Loading happens once per path per process (dlopen is
 * reference-counted anyway; the cache keeps koffi's handle and the entry
 * points together), and a search runs once per set of inputs (searchKey).
 */
import koffi from "koffi";
import type { LibraryHandle } from "koffi";
import { supportedMajors } from "../abi/tables.generated.js";
import type { AbiTable } from "../abi/tables.generated.js";
import type { TensorRTLibraryInfo } from "../engine/contract.js";
import { RuntimeUnavailableError } from "../errors/index.js";
import { describeOrigin, listCandidates, NVINFER_PATH_ENV, NVINFER_SEARCH, searchCandidates, searchKey } from "../libraries/candidates.js";
import type { LibraryCandidate, LibrarySearchOptions } from "../libraries/candidates.js";
import { summarizeFailures } from "../libraries/failures.js";
import type { CandidateFailure } from "../libraries/failures.js";
import { variantOf } from "../libraries/variant.js";
import type { TensorRTVariant } from "../libraries/variant.js";
import { MAJORS_NEWEST_FIRST, tensorrtFileName } from "../libraries/wheel-layouts.js";
import { parseLibVersion, selectAbiTable } from "./version.js";
import type { LibraryVersion } from "./version.js";

export { NVINFER_PATH_ENV };

/** An explicit path (tried alone), else TRT_NVINFER_PATH (alone), else the system loader, then pip wheels. */
export type TensorRTLoadOptions = LibrarySearchOptions;

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
  /** Full, lean or dispatch runtime, by the file name (also in `info.variant`). */
  readonly variant: TensorRTVariant;
  /** createInferRuntime_INTERNAL(ILogger*, version) -> IRuntime* (a wrapper pointer), 0 on failure. */
  readonly createInferRuntime: (logger: number, version: number) => number;
  readonly handle: LibraryHandle;
}

const loaded = new Map<string, LoadedTensorRT>();
/** The library each search chose (see searchKey): later searches with the same inputs get the same one. */
const chosen = new Map<string, LoadedTensorRT>();

/** Every libnvinfer candidate in search order (runs Python when no environment variable names site-packages). */
export function libraryCandidates(options: TensorRTLoadOptions = {}): LibraryCandidate[] {
  return listCandidates(NVINFER_SEARCH, options);
}

/**
 * Loads the first candidate that opens, reports a supported version and has
 * the entry points. Throws RuntimeUnavailableError listing every candidate
 * tried, where it came from and why it failed.
 */
export function loadTensorRT(options: TensorRTLoadOptions = {}): LoadedTensorRT {
  const key = searchKey(NVINFER_SEARCH, options);
  const known = chosen.get(key);
  if (known) return known;
  const lib = searchTensorRT(options);
  chosen.set(key, lib);
  return lib;
}

function searchTensorRT(options: TensorRTLoadOptions): LoadedTensorRT {
  const tried: string[] = [];
  const failures: CandidateFailure[] = [];
  let versionError: RuntimeUnavailableError | null = null;
  for (const candidate of searchCandidates(NVINFER_SEARCH, options)) {
    tried.push(candidate.path);
    const cached = loaded.get(candidate.path);
    if (cached) return cached;
    try {
      const lib = openTensorRT(candidate.path);
      loaded.set(candidate.path, lib);
      return lib;
    } catch (error) {
      if (error instanceof RuntimeUnavailableError && !versionError) versionError = error;
      const reason = error instanceof RuntimeUnavailableError ? error.reason : describe(error);
      failures.push({ path: candidate.path, origin: describeOrigin(candidate), reason });
    }
  }
  // A library that loaded but has an unsupported version is the more useful story to tell.
  if (versionError && tried.length === 1) throw versionError;
  const full = MAJORS_NEWEST_FIRST.map((m) => tensorrtFileName("full", m));
  throw new RuntimeUnavailableError({
    component: "tensorrt",
    expected: `a loadable TensorRT runtime library (${full.join(" or ")}; else the lean or dispatch runtime)`,
    reason: summarizeFailures(failures),
    fix:
      `Install TensorRT ${supportedMajors.join(" or ")} where the system loader finds it (NVIDIA's packages, or the tar archive on LD_LIBRARY_PATH), ` +
      `or its pip wheels in the active Python environment (pip install tensorrt-cu13), or set ${NVINFER_PATH_ENV} to the full path of libnvinfer.so.N.`,
    pathsTried: tried,
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
  const variant = variantOf(path);
  return {
    info: {
      path,
      version: { major: version.major, minor: version.minor, patch: version.patch, raw: version.raw },
      // The description verbatim, as the addon reports it too (libraries/library-traits.ts reads it).
      emulator: emulator ? { version: emulator.version, mode: emulator.mode, info: JSON.stringify(emulator.raw) } : null,
      variant,
    },
    version,
    table,
    emulator,
    variant,
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
