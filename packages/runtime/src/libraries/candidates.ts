/**
 * The one search order for TensorRT's and CUDA's runtime libraries, used by
 * both engine implementations (the native engine is handed the path this
 * search chose) and by `trt doctor`:
 *
 * 1. a path the caller names (an option), else the environment variable
 *    (TRT_NVINFER_PATH / TRT_CUDART_PATH): when either is set it is the only
 *    candidate, so a typo fails loudly instead of loading some other library;
 * 2. the system loader, by soname (LD_LIBRARY_PATH, ld.so.cache: NVIDIA's
 *    Debian and RPM packages, a tar archive on LD_LIBRARY_PATH);
 * 3. pip wheels in the active Python environment's site-packages.
 *
 * For libnvinfer, steps 2 and 3 run for the full runtime first (every
 * supported major, newest first), then the lean runtime, then the dispatch
 * runtime, so a full runtime is preferred wherever it is.
 *
 * Candidates come lazily: a loader that succeeds early never lists
 * site-packages, and never starts Python.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { trt10 } from "../abi/tables.generated.js";
import { PREFIX_VARIABLES, PYTHON_ENV, SitePackagesSearch } from "./site-packages.js";
import { CUDART_WHEEL_FILES, MAJORS_NEWEST_FIRST, tensorrtFileName, tensorrtWheelFile } from "./wheel-layouts.js";
import type { TensorRTVariant } from "./variant.js";

/** Where a candidate came from. */
export type CandidateSource = "option" | "environment" | "system-loader" | "site-packages";

/** One library to try. */
export interface LibraryCandidate {
  /** What dlopen is given: a file path, or a bare soname for the system loader to resolve. */
  readonly path: string;
  readonly source: CandidateSource;
  /**
   * For "environment", the variable; for "site-packages", what named the
   * directory (VIRTUAL_ENV, CONDA_PREFIX, or the interpreter asked); else null.
   */
  readonly via: string | null;
}

type Env = Readonly<Record<string, string | undefined>>;

/** What a search is given. */
export interface LibrarySearchOptions {
  /** A library the caller names: tried first and alone. */
  readonly path?: string;
  /** Environment variables to read (default process.env). */
  readonly env?: Env;
}

/** One step of steps 2 and 3: names for the system loader, then the same libraries inside each site-packages. */
interface SearchGroup {
  readonly sonames: readonly string[];
  readonly wheelFiles: readonly string[];
}

/** What is searched for one library. */
export interface LibrarySearch {
  readonly envVar: string;
  readonly groups: readonly SearchGroup[];
}

/** Environment variable naming the libnvinfer to load (a path, or a name for the system loader). */
export const NVINFER_PATH_ENV = "TRT_NVINFER_PATH";
/** Environment variable naming the libcudart to load. */
export const CUDART_PATH_ENV = "TRT_CUDART_PATH";

/** The environment variables every search reads besides its own (where site-packages are). */
const SEARCH_VARIABLES = [...PREFIX_VARIABLES, PYTHON_ENV] as const;

const TENSORRT_VARIANTS_PREFERRED: readonly TensorRTVariant[] = ["full", "lean", "dispatch"];

export const NVINFER_SEARCH: LibrarySearch = {
  envVar: NVINFER_PATH_ENV,
  groups: TENSORRT_VARIANTS_PREFERRED.map((variant) => ({
    sonames: MAJORS_NEWEST_FIRST.map((major) => tensorrtFileName(variant, major)),
    wheelFiles: MAJORS_NEWEST_FIRST.map((major) => tensorrtWheelFile(variant, major)),
  })),
};

export const CUDART_SEARCH: LibrarySearch = {
  envVar: CUDART_PATH_ENV,
  groups: [{ sonames: trt10.cudaRuntime, wheelFiles: CUDART_WHEEL_FILES }],
};

/** The candidates of `search` in order, lazily (see the module comment). */
export function* searchCandidates(search: LibrarySearch, options: LibrarySearchOptions = {}): Generator<LibraryCandidate> {
  if (options.path) {
    yield { path: options.path, source: "option", via: null };
    return;
  }
  const env = options.env ?? process.env;
  const fromEnv = env[search.envVar];
  if (fromEnv) {
    yield { path: fromEnv, source: "environment", via: search.envVar };
    return;
  }
  const sites = new SitePackagesSearch(env);
  for (const group of search.groups) {
    for (const soname of group.sonames) yield { path: soname, source: "system-loader", via: null };
    for (const site of sites) {
      for (const file of group.wheelFiles) {
        const path = join(site.dir, file);
        if (existsSync(path)) yield { path, source: "site-packages", via: site.via };
      }
    }
  }
}

/**
 * What decides the outcome of a search: the explicit path and the environment
 * variables it reads. Loaders remember their answer per key, because the
 * search cannot be repeated faithfully in one process: once a library is
 * loaded by path, the system loader answers for its soname with that file,
 * so a second search would find the same library under another name.
 */
export function searchKey(search: LibrarySearch, options: LibrarySearchOptions = {}): string {
  const env = options.env ?? process.env;
  return JSON.stringify([options.path ?? null, ...[search.envVar, ...SEARCH_VARIABLES].map((name) => env[name] ?? null)]);
}

/** Every candidate, in order (this runs Python when no environment variable names site-packages). */
export function listCandidates(search: LibrarySearch, options: LibrarySearchOptions = {}): LibraryCandidate[] {
  return [...searchCandidates(search, options)];
}

/** "$TRT_NVINFER_PATH", "system loader", "pip site-packages (VIRTUAL_ENV)"; `optionLabel` names the option. */
export function describeOrigin(candidate: LibraryCandidate, optionLabel = "option"): string {
  switch (candidate.source) {
    case "option":
      return optionLabel;
    case "environment":
      return `$${candidate.via ?? "?"}`;
    case "system-loader":
      return "system loader";
    case "site-packages":
      return `pip site-packages, via ${candidate.via ?? "?"}`;
  }
}
