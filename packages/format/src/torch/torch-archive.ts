// The zip archives PyTorch writes, and where Torch-TensorRT's engines sit in each:
//
// - TorchScript (`torch.jit.save`, `torch_tensorrt.save(..., output_format="torchscript")`):
//   ROOT/data.pkl pickles the module tree; ROOT/code/ holds its TorchScript source.
//   Engines are attributes of the TensorRT submodules in data.pkl.
// - ExportedProgram (`torch.export.save`, `torch_tensorrt.save(...)`, torch >= 2.7's
//   "pt2" archive): ROOT/archive_format is "pt2"; ROOT/data/constants/
//   model_constants_config.json maps each constant's name ("_run_on_acc_0.engine")
//   to a file there; custom objects are stored as a nested torch.save zip whose
//   data.pkl pickles the engine object.
// - An older ExportedProgram (torch < 2.7): ROOT/serialized_constants.pt, a nested
//   torch.save zip of the constants dict.
// - A plain torch.save zip: ROOT/data.pkl without code/.
//
// Layouts were learnt from archives Torch-TensorRT 2.11 wrote (tools/real-tensorrt).

import type { ReadRequest } from "../container-reader.js";
import { fail } from "../errors.js";
import { unpickle } from "../pickle/reader.js";
import { decodeSlots, type SerializedEngine } from "../tuple.js";
import { looksLikeZip, type ZipEntry } from "../zip/records.js";
import { readZipDirectory, readZipEntry, runStepsOnBytes, zipEntryView, type ZipDirectory, type ZipReadOptions } from "../zip/zip-steps.js";
import { findEngineObjects } from "./engine-objects.js";

/** Which kind of torch archive a zip is. */
export type TorchArchiveFormat = "torchscript" | "exported_program" | "torch_save";

/** One TensorRT engine found in an archive. */
export interface ArchiveEngine {
  /** Position in the archive's engine list (what `engine: 0` selects). */
  index: number;
  /** Where the engine sits in the model: the submodule attribute or constant name ("_run_on_acc_0.engine"). */
  path: string;
  /** The zip entry that holds it (a nested entry as "outer!inner"). */
  entry: string;
  /** The engine tuple. */
  value: SerializedEngine;
}

/** Everything {@link readTorchArchive} found. */
export interface TorchArchive {
  format: TorchArchiveFormat;
  /** The archive's top folder (PyTorch names it after the file). */
  root: string;
  engines: ArchiveEngine[];
}

const CONFIG_MAX_BYTES = 16 * 1024 * 1024;

function rootOf(zip: ZipDirectory): string {
  const first = zip.entries[0]?.name ?? "";
  const slash = first.indexOf("/");
  if (slash <= 0) {
    fail("NOT_A_MODEL_ARCHIVE", "a PyTorch archive (every entry under one top folder)", zip.entries.length === 0 ? "an empty zip" : `entry ${JSON.stringify(first.slice(0, 80))}`, "Pass a file written by torch.jit.save, torch.export.save or torch_tensorrt.save.");
  }
  return first.slice(0, slash);
}

/** A zip's entries by name (an ExportedProgram may hold thousands of constants). */
type EntryIndex = ReadonlyMap<string, ZipEntry>;

function classify(zip: ZipDirectory, named: EntryIndex, root: string): TorchArchiveFormat {
  if (named.has(`${root}/archive_format`) || named.has(`${root}/serialized_exported_program.json`)) return "exported_program";
  if (!named.has(`${root}/data.pkl`)) {
    return fail(
      "NOT_A_MODEL_ARCHIVE",
      "a TorchScript, ExportedProgram or torch.save archive",
      `a zip with ${zip.entries.length} entries and neither ${root}/data.pkl nor ${root}/archive_format`,
      "Pass a file written by torch.jit.save, torch.export.save or torch_tensorrt.save.",
    );
  }
  return zip.entries.some((e) => e.name.startsWith(`${root}/code/`)) ? "torchscript" : "torch_save";
}

function enginesInPickle(bytes: Uint8Array, entry: string, prefix: string, lazyTextBytes: number | undefined): Array<Omit<ArchiveEngine, "index">> {
  const { value } = unpickle(bytes, { mode: "describe", lazyTextBytes, allowTrailing: false });
  return findEngineObjects(value).map((found) => ({
    path: prefix === "" ? found.path : found.path === "" ? prefix : `${prefix}.${found.path}`,
    entry,
    value: decodeSlots(found.slots),
  }));
}

/** The engines in a nested torch.save zip held in memory (an ExportedProgram's constant). */
function enginesInNestedZip(bytes: Uint8Array, entry: string, prefix: string, options: TorchArchiveOptions): Array<Omit<ArchiveEngine, "index">> {
  if (!looksLikeZip(bytes)) return [];
  const inner = runStepsOnBytes(readZipDirectory(bytes.length, options), bytes);
  const pkl = inner.entries.find((e) => /^[^/]+\/data\.pkl$/.test(e.name));
  if (pkl === undefined) return [];
  const data = zipEntryView(inner, pkl, bytes, options);
  return enginesInPickle(data, `${entry}!${pkl.name}`, prefix, options.lazyTextBytes);
}

interface ConstantConfig {
  name: string;
  file: string;
}

function parseConstantsConfig(bytes: Uint8Array, entry: string): ConstantConfig[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return fail("BAD_ZIP", `JSON in ${entry}`, "text that does not parse", "The archive is damaged; save it again.");
  }
  const config = (parsed as { config?: unknown } | null)?.config;
  if (config === null || typeof config !== "object") return fail("BAD_ZIP", `a "config" object in ${entry}`, typeof config, "The archive is damaged; save it again.");
  const out: ConstantConfig[] = [];
  for (const [name, spec] of Object.entries(config as Record<string, unknown>)) {
    const s = spec as { path_name?: unknown; use_pickle?: unknown } | null;
    // Tensors are stored raw; only pickled constants (custom objects) can be engines.
    if (typeof s?.path_name === "string" && s.use_pickle === true) out.push({ name, file: s.path_name });
  }
  return out;
}

/** Options for {@link readTorchArchive}. */
export interface TorchArchiveOptions extends ZipReadOptions {
  /** Pickled strings of at least this many bytes stay bytes until decoded (default 1 MiB). */
  lazyTextBytes?: number;
}

/**
 * Reads a torch zip archive of `size` bytes from a random-access source and
 * returns every Torch-TensorRT engine in it. Only the central directory and the
 * entries that can hold engines are read. An archive without engines is a
 * FormatError NO_ENGINE.
 */
export function* readTorchArchive(size: number, options: TorchArchiveOptions = {}): Generator<ReadRequest, TorchArchive, number> {
  const zip = yield* readZipDirectory(size, options);
  const named: EntryIndex = new Map(zip.entries.map((e) => [e.name, e]));
  const root = rootOf(zip);
  const format = classify(zip, named, root);
  const found: Array<Omit<ArchiveEngine, "index">> = [];
  const pt2Config = named.get(`${root}/data/constants/model_constants_config.json`);
  const legacyConstants = named.get(`${root}/serialized_constants.pt`);
  if (format === "exported_program" && pt2Config !== undefined) {
    const configBytes = yield* readZipEntry(zip, pt2Config, { ...options, maxEntryBytes: Math.min(options.maxEntryBytes ?? CONFIG_MAX_BYTES, CONFIG_MAX_BYTES) });
    for (const constant of parseConstantsConfig(configBytes, pt2Config.name)) {
      const entry = named.get(`${root}/data/constants/${constant.file}`);
      if (entry === undefined) fail("BAD_ZIP", `entry ${root}/data/constants/${constant.file} named by ${pt2Config.name}`, "no such entry", "The archive is damaged; save it again.");
      const bytes = yield* readZipEntry(zip, entry as ZipEntry, options);
      found.push(...enginesInNestedZip(bytes, (entry as ZipEntry).name, constant.name, options));
    }
  } else if (format === "exported_program" && legacyConstants !== undefined) {
    const bytes = yield* readZipEntry(zip, legacyConstants, options);
    found.push(...enginesInNestedZip(bytes, legacyConstants.name, "", options));
  } else if (format !== "exported_program") {
    const pkl = named.get(`${root}/data.pkl`) as ZipEntry;
    const bytes = yield* readZipEntry(zip, pkl, options);
    found.push(...enginesInPickle(bytes, pkl.name, "", options.lazyTextBytes));
  }
  if (found.length === 0) {
    fail(
      "NO_ENGINE",
      `a Torch-TensorRT engine in this ${describeFormat(format)}`,
      "none (the model was not compiled with Torch-TensorRT, or ran every op in PyTorch)",
      "Compile the model with torch_tensorrt.compile before saving it.",
    );
  }
  return { format, root, engines: found.map((e, index) => ({ index, ...e })) };
}

/** "TorchScript archive" and so on, for messages. */
export function describeFormat(format: TorchArchiveFormat): string {
  return format === "torchscript" ? "TorchScript archive" : format === "exported_program" ? "ExportedProgram archive" : "torch.save archive";
}

/** Picks one engine: by index, by path ("_run_on_acc_0" or "_run_on_acc_0.engine") or by the tuple's name. */
export function selectArchiveEngine(archive: TorchArchive, choice: string | number | undefined): ArchiveEngine {
  const { engines } = archive;
  const listing = engines.map((e) => `${e.index}: ${e.path} (engine ${JSON.stringify(e.value.name)}, inputs ${e.value.inputBindingNames.join(",") || "-"})`).join("; ");
  if (choice === undefined) {
    if (engines.length === 1) return engines[0] as ArchiveEngine;
    return fail(
      "AMBIGUOUS_ENGINE",
      "an archive with one TensorRT engine, or a choice of engine",
      `${engines.length} engines: ${listing}`,
      "Pick one with the `engine` option (an index, a path or an engine name).",
      "CHOOSE_ENGINE",
    );
  }
  const match =
    typeof choice === "number"
      ? engines[choice]
      : engines.find((e) => e.path === choice || e.path === `${choice}.engine` || e.value.name === choice);
  if (match === undefined) {
    return fail("ENGINE_NOT_FOUND", `an engine ${typeof choice === "number" ? `at index ${choice}` : JSON.stringify(choice)} in the ${describeFormat(archive.format)}`, listing, "Pick one of the engines listed.", "CHOOSE_ENGINE");
  }
  return match;
}
