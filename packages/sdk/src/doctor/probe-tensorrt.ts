/**
 * `trt doctor`'s look at TensorRT: every libnvinfer candidate of the
 * runtime's search order (the same list both engine implementations use),
 * where it came from, whether it is the full, lean or dispatch runtime, and
 * what loading it gave. The first that loads is the one the runtime would
 * use; for it the report adds the file it resolved to and whether it is the
 * project's emulator (which exports trtEmulatorInfo; real TensorRT does not).
 * Every candidate is loaded, so each reports its version.
 */
import { describeOrigin, libraryCandidates, loadTensorRT, variantOf } from "@trt/runtime/advanced";
import type { CandidateSource, LibraryCandidate, LibrarySearchOptions, TensorRTVariant } from "@trt/runtime/advanced";
import { loadedPathOf, mappedFiles } from "./loaded-path.js";

/** One candidate and what loading it gave. */
export interface LibraryAttempt {
  /** A path, or a soname for the system loader. */
  readonly candidate: string;
  readonly source: CandidateSource;
  /** Which setting or place put it on the list: the CLI option, the environment variable, the system loader, a site-packages directory. */
  readonly origin: string;
  /** null when it loaded. */
  readonly error: string | null;
  /** The version it reports, when it loaded ("10.16.0", "13.0"). */
  readonly version: string | null;
  /** The file it resolved to, when it loaded. */
  readonly resolvedPath: string | null;
  /** The one the runtime would use: the first that loads. */
  readonly used: boolean;
}

/** A libnvinfer candidate: also which runtime it is, and whether it is the emulator. */
export interface TensorRTAttempt extends LibraryAttempt {
  readonly variant: TensorRTVariant;
  readonly emulator: boolean;
}

/** The search options for a CLI path option: the path alone when given, else the process environment. */
export function searchOptions(path: string | undefined): LibrarySearchOptions {
  return path ? { path } : {};
}

/** Where a candidate came from, for the report (the option is named as on the command line). */
export function originOf(candidate: LibraryCandidate, optionName: string): string {
  return describeOrigin(candidate, optionName);
}

/** The runtime's reason for a failed load, without the path (and its origin) it repeats at the start. */
export function failureOf(candidate: string, e: unknown): string {
  const reason = (e as { reason?: unknown }).reason;
  const text = typeof reason === "string" ? reason : e instanceof Error ? e.message : String(e);
  if (text.startsWith(`${candidate}: `)) return text.slice(candidate.length + 2);
  const originEnd = text.startsWith(`${candidate} (`) ? text.indexOf("): ", candidate.length) : -1;
  return originEnd < 0 ? text : text.slice(originEnd + 3);
}

/** The file a loaded candidate is: itself when it is a path, else where the system loader found it. */
export function resolvedPathOf(candidate: string, before: ReadonlySet<string>): string | null {
  return candidate.includes("/") ? candidate : loadedPathOf(candidate, before);
}

/** What doctor found about libnvinfer. */
export interface TensorRTFinding {
  readonly found: boolean;
  /** Every candidate in search order, each loaded (or not) and marked `used` for the first that loads. */
  readonly candidates: readonly TensorRTAttempt[];
  /** The candidate that would be used, and the file it resolved to. */
  readonly path?: string;
  readonly resolvedPath?: string | null;
  readonly version?: string;
  readonly variant?: TensorRTVariant;
  /** Set when the library is the emulator: its version and mode (host or cuda). */
  readonly emulator?: { readonly version: string; readonly mode: string; readonly info: Readonly<Record<string, unknown>> } | null;
}

/** Loads every candidate in order; the first that loads is the one reported as found. */
export function probeTensorRT(nvinferPath: string | undefined): TensorRTFinding {
  const candidates: TensorRTAttempt[] = [];
  let chosen: Omit<TensorRTFinding, "found" | "candidates"> | null = null;
  for (const c of libraryCandidates(searchOptions(nvinferPath))) {
    const base = { candidate: c.path, source: c.source, origin: originOf(c, "--nvinfer"), variant: variantOf(c.path) };
    const before = mappedFiles();
    let lib;
    try {
      lib = loadTensorRT({ path: c.path });
    } catch (e) {
      candidates.push({ ...base, error: failureOf(c.path, e), version: null, resolvedPath: null, used: false, emulator: false });
      continue;
    }
    const v = lib.version;
    const version = `${v.major}.${v.minor}.${v.patch}`;
    const resolvedPath = resolvedPathOf(c.path, before);
    const used = chosen === null;
    candidates.push({ ...base, error: null, version, resolvedPath, used, emulator: lib.emulator !== null });
    if (used) {
      const emulator = lib.emulator ? { version: lib.emulator.version, mode: lib.emulator.mode, info: lib.emulator.raw } : null;
      chosen = { path: c.path, resolvedPath, version, variant: lib.variant, emulator };
    }
  }
  return chosen ? { found: true, candidates, ...chosen } : { found: false, candidates };
}

