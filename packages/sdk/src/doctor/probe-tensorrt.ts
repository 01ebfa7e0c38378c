/**
 * `trt doctor`'s look at TensorRT: every libnvinfer candidate in the
 * runtime's search order, what happened when loading it, and for the one
 * that loads its version and whether it is the project's emulator (which
 * exports trtEmulatorInfo; real TensorRT does not).
 */
import { libraryCandidates, loadTensorRT } from "@trt/runtime";
import { loadedPathOf } from "./loaded-path.js";

/** One candidate and what loading it gave. */
export interface LibraryAttempt {
  readonly candidate: string;
  /** Which setting put it on the list: the CLI option, the environment variable, or the system loader's default names. */
  readonly origin: string;
  /** null when it loaded. */
  readonly error: string | null;
}

/** Where a candidate came from, for the report. */
export function originOf(candidate: string, option: string | undefined, optionName: string, envName: string): string {
  if (option) return optionName;
  if (process.env[envName] === candidate) return `$${envName}`;
  return "system loader";
}

/** The runtime's reason for a failed load, without the path it repeats at the start. */
export function failureOf(candidate: string, e: unknown): string {
  const reason = (e as { reason?: unknown }).reason;
  const text = typeof reason === "string" ? reason : e instanceof Error ? e.message : String(e);
  return text.startsWith(`${candidate}: `) ? text.slice(candidate.length + 2) : text;
}

/** What doctor found about libnvinfer. */
export interface TensorRTFinding {
  readonly found: boolean;
  readonly tried: readonly LibraryAttempt[];
  /** The candidate that loaded, and the file it resolved to. */
  readonly path?: string;
  readonly resolvedPath?: string | null;
  readonly version?: string;
  /** Set when the library is the emulator: its version and mode (host or cuda). */
  readonly emulator?: { readonly version: string; readonly mode: string; readonly info: Readonly<Record<string, unknown>> } | null;
}

/** Tries the candidates in order, as the runtime does, stopping at the first that loads. */
export function probeTensorRT(nvinferPath: string | undefined): TensorRTFinding {
  const tried: LibraryAttempt[] = [];
  for (const candidate of libraryCandidates(nvinferPath ? { path: nvinferPath } : {})) {
    const origin = originOf(candidate, nvinferPath, "--nvinfer", "TRT_NVINFER_PATH");
    try {
      const lib = loadTensorRT({ path: candidate });
      const v = lib.version;
      tried.push({ candidate, origin, error: null });
      return {
        found: true,
        tried,
        path: candidate,
        resolvedPath: candidate.includes("/") ? candidate : loadedPathOf(candidate),
        version: `${v.major}.${v.minor}.${v.patch}`,
        emulator: lib.emulator ? { version: lib.emulator.version, mode: lib.emulator.mode, info: lib.emulator.raw } : null,
      };
    } catch (e) {
      tried.push({ candidate, origin, error: failureOf(candidate, e) });
    }
  }
  return { found: false, tried };
}
