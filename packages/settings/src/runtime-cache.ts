/**
 * {@link RuntimeCache}: TensorRT-RTX's runtime cache (compiled kernels it can
 * reuse across runs) held in memory and persisted to one file.
 * @module
 */
import { resolve } from "node:path";
import { readCacheFile, readCacheFileSync, writeCacheFile, writeCacheFileSync, type CacheReadResult } from "./cache-io.js";
import { describeValue } from "./describe-value.js";
import { SettingsError } from "./errors.js";
import { emitSettingsWarning } from "./warnings.js";

const BRAND: unique symbol = Symbol.for("@trt/settings:RuntimeCache");
const EMPTY = new Uint8Array(0);

/** Options for {@link RuntimeCache}'s constructor. */
export interface RuntimeCacheOptions {
  /**
   * Start from these bytes instead of the file's contents. The cache is then
   * dirty (memory differs from disk) and the file is not read.
   */
  readonly bytes?: Uint8Array;
}

/** Options for {@link RuntimeCache.save} and {@link RuntimeCache.saveSync}. */
export interface RuntimeCacheSaveOptions {
  /** Write only if memory holds changes the file lacks (what automatic saves use). Default false. */
  readonly onlyIfDirty?: boolean;
}

/**
 * A runtime cache: bytes in memory, a file they persist to, and a `dirty` flag
 * saying whether memory holds changes the file does not.
 *
 * The file is read lazily: the first access to {@link RuntimeCache.bytes} loads
 * it (synchronously) unless {@link RuntimeCache.load} or
 * {@link RuntimeCache.update} came first. A missing file is an empty cache; a
 * corrupt or unreadable one is an empty cache plus a warning, never an error.
 *
 * A cache built with `new RuntimeCache(path)` belongs to the caller and is saved
 * only when the caller calls {@link RuntimeCache.save}; caches created for a
 * path string in {@link RuntimeSettings} or by the `runtimeCache()` scope are
 * saved automatically (see the package README's ownership table).
 */
export class RuntimeCache {
  /** Absolute path of the cache file (a relative path is resolved against the working directory at construction). */
  readonly path: string;
  #bytes: Uint8Array = EMPTY;
  #loaded = false;
  #dirty = false;
  // Bumped on every in-memory change, so a load or save that overlapped an
  // update() can tell its snapshot is out of date.
  #generation = 0;
  #saveQueue: Promise<unknown> = Promise.resolve();
  // Generation of the newest bytes written, so a queued asynchronous save never
  // replaces a newer synchronous one with older bytes.
  #writtenGeneration = -1;
  readonly #collectors = new Set<(cache: RuntimeCache) => void>();

  /**
   * `instanceof` that also recognises caches from another copy of this package
   * (an ESM and a CJS build loaded side by side).
   */
  static [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === "object" && value !== null && (value as { [BRAND]?: unknown })[BRAND] === true;
  }

  /** Brand read by `instanceof`; always true. */
  get [BRAND](): true {
    return true;
  }

  /**
   * A cache for the file at `path`. Nothing is read until the bytes are
   * needed. Throws `TRT_INVALID_SETTING` for an empty or non-string path.
   */
  constructor(path: string, options: RuntimeCacheOptions = {}) {
    if (typeof path !== "string" || path === "") {
      throw new SettingsError("TRT_INVALID_SETTING", `A runtime cache needs a non-empty file path; got ${describeValue(path)}.`, {
        setting: "runtimeCache",
      });
    }
    this.path = resolve(path);
    if (options.bytes !== undefined) this.update(options.bytes);
  }

  /**
   * The cached bytes (TensorRT's serialized runtime cache). Loads the file on
   * first access. Treat the array as read-only; change it with
   * {@link RuntimeCache.update}.
   */
  get bytes(): Uint8Array {
    if (!this.#loaded) this.loadSync();
    return this.#bytes;
  }

  /** True when memory holds changes not yet written to the file. */
  get dirty(): boolean {
    return this.#dirty;
  }

  /** True once the file has been read, or the bytes set by {@link RuntimeCache.update}. */
  get loaded(): boolean {
    return this.#loaded;
  }

  /** Replaces the cached bytes with a copy of `bytes` and marks the cache dirty. */
  update(bytes: Uint8Array): void {
    if (!(bytes instanceof Uint8Array)) {
      throw new SettingsError("TRT_INVALID_SETTING", `RuntimeCache.update expects a Uint8Array; got ${describeValue(bytes)}.`, {
        setting: "runtimeCache",
      });
    }
    this.#bytes = bytes.slice();
    this.#loaded = true;
    this.#dirty = true;
    this.#generation++;
  }

  /** Empties the cache in memory (and marks it dirty, so the next save empties the file). */
  clear(): void {
    this.update(EMPTY);
  }

  /**
   * Reads the file, replacing what is in memory, and clears `dirty`. If
   * {@link RuntimeCache.update} is called while the read is under way, the
   * update wins and the file's contents are dropped.
   */
  async load(): Promise<this> {
    const generation = this.#generation;
    const result = await readCacheFile(this.path);
    if (generation === this.#generation) this.#adopt(result);
    return this;
  }

  /** Synchronous {@link RuntimeCache.load}. */
  loadSync(): this {
    this.#adopt(readCacheFileSync(this.path));
    return this;
  }

  #adopt(result: CacheReadResult): void {
    if (result.kind === "corrupt") {
      emitSettingsWarning("TRT_RUNTIME_CACHE_CORRUPT", `Runtime cache ${this.path} is damaged (${result.error.message}); starting from an empty cache, and the next save replaces the file.`);
    } else if (result.kind === "unreadable") {
      emitSettingsWarning("TRT_RUNTIME_CACHE_UNREADABLE", `Runtime cache ${this.path} could not be read (${result.error.message}); starting from an empty cache.`);
    }
    this.#bytes = result.kind === "ok" ? result.payload : EMPTY;
    this.#loaded = true;
    this.#dirty = false;
    this.#generation++;
  }

  /**
   * Registers `collect`, called synchronously at the start of every save
   * (explicit or automatic, including the one at process exit). A module whose
   * TensorRT holds newer cache contents in memory uses it to copy them in with
   * {@link RuntimeCache.update}, so whoever triggers the save writes current
   * bytes. Returns a function that unregisters it.
   */
  onBeforeSave(collect: (cache: RuntimeCache) => void): () => void {
    this.#collectors.add(collect);
    return () => {
      this.#collectors.delete(collect);
    };
  }

  #collect(): void {
    for (const collect of [...this.#collectors]) collect(this);
  }

  /**
   * Writes the bytes to the file: takes the cross-process lock, writes a
   * temporary file and renames it over the old one. Clears `dirty` unless the
   * bytes changed meanwhile. Saves on one instance run in call order. A cache
   * that was never loaded nor updated has nothing the file lacks, so nothing is
   * written; with `onlyIfDirty`, neither is a clean one. Throws
   * `TRT_RUNTIME_CACHE_IO` if the file cannot be written.
   */
  save(options: RuntimeCacheSaveOptions = {}): Promise<void> {
    let bytes: Uint8Array | null;
    try {
      bytes = this.#snapshot(options);
    } catch (error) {
      return Promise.reject(error);
    }
    const generation = this.#generation;
    const run = this.#saveQueue.then(() => this.#write(bytes, generation));
    this.#saveQueue = run.catch(() => undefined);
    return run;
  }

  /** Synchronous {@link RuntimeCache.save}, usable in a process 'exit' handler. */
  saveSync(options: RuntimeCacheSaveOptions = {}): void {
    const bytes = this.#snapshot(options);
    if (bytes === null) return;
    try {
      writeCacheFileSync(this.path, bytes);
    } catch (error) {
      throw this.#saveError(error);
    }
    this.#writtenGeneration = this.#generation;
    this.#dirty = false;
  }

  // What a save started now should write (null: nothing), taken at call time
  // so a save writes what the cache held when it was asked to.
  #snapshot(options: RuntimeCacheSaveOptions): Uint8Array | null {
    this.#collect();
    if (!this.#loaded) return null;
    if (options.onlyIfDirty === true && !this.#dirty) return null;
    return this.#bytes;
  }

  async #write(bytes: Uint8Array | null, generation: number): Promise<void> {
    if (bytes === null || generation < this.#writtenGeneration) return;
    try {
      await writeCacheFile(this.path, bytes);
    } catch (error) {
      throw this.#saveError(error);
    }
    this.#writtenGeneration = Math.max(this.#writtenGeneration, generation);
    if (generation === this.#generation) this.#dirty = false;
  }

  #saveError(cause: unknown): SettingsError {
    const reason = cause instanceof Error ? cause.message : String(cause);
    return new SettingsError("TRT_RUNTIME_CACHE_IO", `Could not save the runtime cache to ${this.path}: ${reason}. Check that the directory is writable.`, {
      path: this.path,
      cause,
    });
  }
}
