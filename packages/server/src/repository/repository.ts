/**
 * A model repository on disk, laid out as Triton's and KServe's storage
 * initializer lay it out:
 *
 *   DIR/<model>/config.json          optional settings (config.ts)
 *   DIR/<model>/<version>/model.plan one model file: model.plan, model.engine,
 *                                    model.ep, model.ts or model.trtengine
 *
 * Versions are positive integers; the highest is served. The repository is
 * a trust boundary: a client names a model, never a path. Names must be
 * letters, digits, "_", "." and "-" starting with a letter or digit (so no
 * "/" and no ".."), and every path taken from it (the model's folder, the
 * version folder, the model file, config.json, plugin libraries) must,
 * once symlinks are resolved, still be inside the repository; a symlink that
 * leads out is refused.
 */
import { readdir, realpath, stat } from "node:fs/promises";
import { isAbsolute, join, relative, resolve } from "node:path";
import { readModelConfig } from "./config.js";
import type { ModelConfig } from "./config.js";

/** The file names a version folder may hold its model in. */
export const MODEL_FILE_NAMES: readonly string[] = Object.freeze(["model.plan", "model.engine", "model.ep", "model.ts", "model.trtengine"]);

/** Model names: one path segment that is not "." or "..", and fits a URL and a metric label as it is. */
export const MODEL_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** What went wrong finding a model in the repository. */
export type RepositoryErrorCode = "BAD_MODEL_NAME" | "MODEL_NOT_FOUND" | "OUTSIDE_REPOSITORY" | "NO_VERSION" | "NO_MODEL_FILE" | "SEVERAL_MODEL_FILES";

/** A model the repository cannot give: the message says which and why. */
export class RepositoryError extends Error {
  override readonly name = "RepositoryError";
  constructor(
    readonly code: RepositoryErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** A model found in the repository, every path checked. */
export interface RepositoryModel {
  readonly name: string;
  /** The version served: the highest version folder's name. */
  readonly version: string;
  /** The model file (symlinks resolved). */
  readonly file: string;
  readonly config: ModelConfig;
  /** Plugin libraries from the config, resolved (inside the repository). */
  readonly plugins: readonly string[];
}

/** A repository folder. */
export class ModelRepository {
  private constructor(
    /** The repository's real path (symlinks resolved). */
    readonly root: string,
  ) {}

  /** The repository at `directory`; fails when it is not a folder. */
  static async open(directory: string): Promise<ModelRepository> {
    const root = await realpath(resolve(directory));
    if (!(await stat(root)).isDirectory()) throw new RepositoryError("MODEL_NOT_FOUND", `the model repository ${directory} is not a folder`);
    return new ModelRepository(root);
  }

  /** The names of the models the repository holds (folders whose names are model names), sorted. */
  async names(): Promise<string[]> {
    const entries = await readdir(this.root, { withFileTypes: true });
    const names: string[] = [];
    for (const entry of entries) {
      if (!MODEL_NAME.test(entry.name)) continue;
      // A symlink counts only when it stays inside the repository (one leading out is never offered).
      if (entry.isDirectory() || (entry.isSymbolicLink() && typeof (await this.#inside(join(this.root, entry.name))) === "string")) names.push(entry.name);
    }
    return names.sort();
  }

  /** The model called `name`, with its newest version's file and its config; RepositoryError or ConfigError when it cannot be served. */
  async find(name: string): Promise<RepositoryModel> {
    if (typeof name !== "string" || !MODEL_NAME.test(name)) {
      throw new RepositoryError("BAD_MODEL_NAME", `${JSON.stringify(name)} is not a model name: use letters, digits, "_", "." and "-", starting with a letter or digit`);
    }
    const folder = await this.#checked(join(this.root, name), `model "${name}"`);
    if (folder === null) throw new RepositoryError("MODEL_NOT_FOUND", `the model repository has no model "${name}"`);
    const versions: number[] = [];
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      if (/^[1-9][0-9]{0,15}$/.test(entry.name) && (entry.isDirectory() || entry.isSymbolicLink())) versions.push(Number(entry.name));
    }
    versions.sort((a, b) => b - a);
    if (versions.length === 0) throw new RepositoryError("NO_VERSION", `model "${name}" has no version folder (a positive integer, e.g. ${name}/1/model.plan)`);
    const version = String(versions[0]);
    const versionFolder = await this.#checked(join(folder, version), `model "${name}" version ${version}`);
    if (versionFolder === null) throw new RepositoryError("NO_VERSION", `model "${name}" version ${version} is not a folder`);
    const present = (await readdir(versionFolder)).filter((f) => MODEL_FILE_NAMES.includes(f));
    if (present.length === 0) {
      throw new RepositoryError("NO_MODEL_FILE", `model "${name}" version ${version} holds no model file; name it one of ${MODEL_FILE_NAMES.join(", ")}`);
    }
    if (present.length > 1) throw new RepositoryError("SEVERAL_MODEL_FILES", `model "${name}" version ${version} holds ${present.join(" and ")}; keep one model file per version`);
    const file = await this.#checked(join(versionFolder, present[0]!), `model "${name}" version ${version}'s ${present[0]}`, "file");
    if (file === null) throw new RepositoryError("NO_MODEL_FILE", `model "${name}" version ${version}'s ${present[0]} is not a file`);
    const configPath = join(folder, "config.json");
    const configReal = await this.#checked(configPath, `model "${name}"'s config.json`, "file");
    const config = configReal === null ? {} : await readModelConfig(configReal);
    const plugins: string[] = [];
    for (const plugin of config.plugins ?? []) {
      const real = await this.#checked(resolve(folder, plugin), `model "${name}"'s plugin ${plugin}`, "file");
      if (real === null) throw new RepositoryError("NO_MODEL_FILE", `model "${name}"'s plugin ${plugin} (config.json "plugins") is not a file in the model's folder`);
      plugins.push(real);
    }
    return { name, version, file, config, plugins };
  }

  /**
   * The real path of `path` when it exists, is of `kind` and is inside the repository; null when it
   * does not exist (or is not of that kind); RepositoryError when it leads out of the repository.
   */
  async #checked(path: string, what: string, kind: "folder" | "file" = "folder"): Promise<string | null> {
    const real = await this.#inside(path);
    if (real === undefined) {
      throw new RepositoryError("OUTSIDE_REPOSITORY", `${what} leads out of the model repository (a symlink or ".." to a path outside it); refused`);
    }
    if (real === null) return null;
    const info = await stat(real);
    return (kind === "folder" ? info.isDirectory() : info.isFile()) ? real : null;
  }

  /** The real path of `path` if inside the repository; null when it does not exist; undefined when it is outside. */
  async #inside(path: string): Promise<string | null | undefined> {
    let real: string;
    try {
      real = await realpath(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw error;
    }
    const rel = relative(this.root, real);
    if (rel === "" || rel.startsWith("..") || isAbsolute(rel)) return undefined;
    return real;
  }
}
