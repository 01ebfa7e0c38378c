/**
 * Models that come and go while the server runs: the repository extension's
 * load and unload, and the index of what the repository holds.
 *
 * Loading reads the model's folder (repository.ts), loads its engine and
 * puts it in the server's model table; loading a model that is served
 * already loads the repository's copy anew and swaps it in, then drains the
 * old one. Unloading takes the model out of the table at once (new requests
 * get 404), lets every request already admitted finish, then releases the
 * engine. Other models are served throughout. Loads and unloads of one name
 * happen one after another, in the order asked.
 *
 * Models given on the command line (`--model`) are in the table but not in
 * the repository: they are listed, never loaded or unloaded here.
 */
import { TensorRTModule } from "@trt/runtime";
import type { LoadOptions } from "@trt/runtime";
import { CUDA_GRAPHS } from "../cuda-graphs.js";
import { ServedModel } from "../models.js";
import type { ModelOptions } from "../models.js";
import { RepositoryError } from "./repository.js";
import type { RepositoryModel , ModelRepository} from "./repository.js";

/** A model's state in the index, in Triton's words. */
export type ModelState = "READY" | "UNAVAILABLE" | "LOADING" | "UNLOADING";

/** One entry of the repository index. */
export interface IndexEntry {
  readonly name: string;
  readonly version?: string;
  readonly state: ModelState;
  /** Why a model is unavailable (its last load's error), or "" */
  readonly reason: string;
}

/** Defaults for what a model's config.json leaves out, and how engines are loaded. */
export interface RepositoryDefaults {
  readonly maxConcurrency?: number;
  readonly maxQueue?: number;
  /** Passed to every `TensorRTModule.load` (device, environment, runtime settings). */
  readonly loadOptions?: LoadOptions;
}

/** Turns a repository model into a loaded module (default: TensorRTModule.load with the config's settings). */
export type ModuleLoader = (model: RepositoryModel, options: LoadOptions) => Promise<TensorRTModule>;

/** A request the manager will not carry out: the message says why. */
export class ModelControlError extends Error {
  override readonly name = "ModelControlError";
  constructor(
    readonly code: "CONTROL_OFF" | "NOT_IN_REPOSITORY" | "NOT_LOADED",
    message: string,
  ) {
    super(message);
  }
}

const defaultLoader: ModuleLoader = (model, options) => TensorRTModule.load(model.file, options);

export class ModelManager {
  readonly #table: Map<string, ServedModel>;
  readonly #repository: ModelRepository | null;
  readonly #defaults: RepositoryDefaults;
  readonly #loader: ModuleLoader;
  readonly #states = new Map<string, { state: ModelState; reason: string }>();
  readonly #queues = new Map<string, Promise<unknown>>();
  /** Models this manager loaded, whose engines it releases. */
  readonly #owned = new Set<ServedModel>();
  #closed = false;

  constructor(table: Map<string, ServedModel>, repository: ModelRepository | null, defaults: RepositoryDefaults = {}, loader: ModuleLoader = defaultLoader) {
    this.#table = table;
    this.#repository = repository;
    this.#defaults = defaults;
    this.#loader = loader;
  }

  /** The repository, or null when the server has none. */
  get repository(): ModelRepository | null {
    return this.#repository;
  }

  /** Every model of the repository and of the command line, with its state; only ready ones when `readyOnly`. */
  async index(readyOnly = false): Promise<IndexEntry[]> {
    const names = new Set<string>([...(this.#repository ? await this.#repository.names() : []), ...this.#table.keys()]);
    const entries: IndexEntry[] = [];
    for (const name of [...names].sort()) {
      const served = this.#table.get(name);
      const known = this.#states.get(name);
      const state: ModelState = known?.state === "LOADING" || known?.state === "UNLOADING" ? known.state : served ? "READY" : "UNAVAILABLE";
      if (readyOnly && state !== "READY") continue;
      entries.push({ name, ...(served ? { version: served.version } : {}), state, reason: state === "UNAVAILABLE" ? (known?.reason ?? "") : "" });
    }
    return entries;
  }

  /** Loads (or reloads) the repository's model `name`; resolves once it is served. */
  load(name: string): Promise<ServedModel> {
    return this.#serialized(name, async () => {
      const repository = this.#checkRepository(name);
      if (this.#table.has(name) && !this.#ownsName(name)) {
        throw new ModelControlError("NOT_IN_REPOSITORY", `model "${name}" is given on the command line (--model), not by the repository; it cannot be loaded here`);
      }
      this.#states.set(name, { state: "LOADING", reason: "" });
      let model: ServedModel;
      try {
        const found = await repository.find(name);
        model = await this.#make(found);
      } catch (error) {
        this.#states.set(name, { state: "UNAVAILABLE", reason: (error as Error).message });
        throw error;
      }
      const old = this.#table.get(name);
      this.#table.set(name, model);
      this.#owned.add(model);
      this.#states.set(name, { state: "READY", reason: "" });
      if (old) await this.#retire(old);
      return model;
    });
  }

  /** Stops serving `name`: new requests get 404 at once; resolves once its requests in flight are answered and its engine is released. */
  unload(name: string): Promise<void> {
    return this.#serialized(name, async () => {
      this.#checkRepository(name);
      const model = this.#table.get(name);
      if (!model) throw new ModelControlError("NOT_LOADED", `model "${name}" is not loaded`);
      if (!this.#owned.has(model)) throw new ModelControlError("NOT_IN_REPOSITORY", `model "${name}" is given on the command line (--model), not by the repository; it cannot be unloaded`);
      this.#table.delete(name);
      this.#states.set(name, { state: "UNLOADING", reason: "" });
      await this.#retire(model);
      this.#states.set(name, { state: "UNAVAILABLE", reason: "unloaded" });
    });
  }

  /** Releases every engine this manager loaded (the server calls this once it has drained). */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.allSettled([...this.#queues.values()]);
    for (const model of [...this.#owned]) await this.#retire(model);
  }

  #checkRepository(name: string): ModelRepository {
    if (this.#closed) throw new ModelControlError("CONTROL_OFF", "the server is shutting down");
    if (!this.#repository) throw new ModelControlError("NOT_IN_REPOSITORY", `this server has no model repository (--model-repository), so model "${name}" cannot be loaded or unloaded`);
    return this.#repository;
  }

  #ownsName(name: string): boolean {
    const model = this.#table.get(name);
    return model !== undefined && this.#owned.has(model);
  }

  async #make(found: RepositoryModel): Promise<ServedModel> {
    const { config } = found;
    const options: LoadOptions = {
      ...this.#defaults.loadOptions,
      maxConcurrency: config.maxConcurrency ?? this.#defaults.maxConcurrency ?? 4,
      ...(config.engine !== undefined ? { engine: config.engine } : {}),
      ...(config.inputOrder ? { inputBindingNames: config.inputOrder } : {}),
      ...(config.outputOrder ? { outputBindingNames: config.outputOrder } : {}),
      // Checked to be inside the repository; loaded through TensorRT's plugin registry before the engine.
      ...(found.plugins.length > 0 ? { plugins: found.plugins } : {}),
      ...(config.cudaGraphs ? { runtimeSettings: CUDA_GRAPHS } : {}),
    };
    const module = await this.#loader(found, options);
    try {
      const served: ModelOptions = {
        name: found.name,
        version: found.version,
        module,
        maxQueue: config.maxQueue ?? this.#defaults.maxQueue ?? 64,
        ...(config.dynamicBatching ? { dynamicBatching: config.dynamicBatching } : {}),
        ...(config.maxBatchSize !== undefined ? { maxBatchSize: config.maxBatchSize } : {}),
      };
      return new ServedModel(served);
    } catch (error) {
      module.release();
      throw error;
    }
  }

  /** Lets `model`'s admitted requests finish, then releases its engine. */
  async #retire(model: ServedModel): Promise<void> {
    await model.admission.close();
    this.#owned.delete(model);
    model.module.release();
  }

  #serialized<T>(name: string, step: () => Promise<T>): Promise<T> {
    const previous = this.#queues.get(name) ?? Promise.resolve();
    const next = previous.then(step, step);
    const settled = next.catch(() => undefined);
    this.#queues.set(name, settled);
    void settled.then(() => {
      if (this.#queues.get(name) === settled) this.#queues.delete(name);
    });
    return next;
  }
}

export { RepositoryError };
