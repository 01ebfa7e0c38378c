// `trt inspect FILE [--json] [--engine X] [--deserialize]`: every field of an engine
// file's tuple, the engine as size + hash (never its bytes), and the decoded metadata;
// for an archive, its engines; for a raw plan, what its header says. All of it on the
// CPU; --deserialize adds what only TensorRT can tell (I/O tensors, profiles, layers).
import { createHash } from "node:crypto";
import { decodeMetadata, deviceTypeName, formatDeviceInfo, type MetadataView, type SerializedEngine } from "@trt/format";
import { readEngineFileWithSource, type EngineFileRead, type EngineFileSource } from "@trt/format/node";
import type { Command } from "commander";
import { parseEngineChoice } from "../cli/engine-choice.js";
import { reportCliError } from "../cli/errors.js";
import { applyGlobalOptions, globalOptions } from "../cli/global-options.js";
import { describeDeserialized, formatDeserialized, type DeserializedReport } from "./inspect-deserialized.js";

/** The fields of an engine tuple; a raw plan holds none of them. */
const TUPLE_FIELDS = [
  "abiVersion",
  "name",
  "device",
  "inputBindingNames",
  "outputBindingNames",
  "hardwareCompatible",
  "targetPlatform",
  "requiresOutputAllocator",
  "resourceAllocationStrategy",
  "requiresNativeMultiDevice",
  "aliasedIO",
  "metadata",
] as const;

/** A name of an engine tuple's field. */
export type TupleField = (typeof TUPLE_FIELDS)[number];

/** What every report has: the file, what kind it is, and the engine as size + hash. */
interface InspectReportBase {
  file: string;
  fileBytes: number;
  source: EngineFileSource;
  engine: { bytes: number; sha256: string };
  /** Set when an archive holds several engines and none was chosen: the report shows engine 0. */
  note?: string;
  /** With --deserialize: what TensorRT reports for the engine. */
  deserialized?: DeserializedReport;
}

/** The report of a file that holds an engine tuple (container, pickle, archive): every field as the file has it. */
export interface TupleInspectReport extends InspectReportBase {
  /** Empty: the file holds every tuple field. */
  notInFile: [];
  abiVersion: string;
  name: string;
  device: SerializedEngine["device"] & { raw: string };
  inputBindingNames: string[];
  outputBindingNames: string[];
  hardwareCompatible: boolean;
  targetPlatform: string;
  requiresOutputAllocator: boolean;
  resourceAllocationStrategy: SerializedEngine["resourceAllocationStrategy"];
  requiresNativeMultiDevice: boolean;
  aliasedIO: SerializedEngine["aliasedIO"];
  /** The metadata slot verbatim (`raw`, base64) and its decoded view. */
  metadata: { raw: string; base64Chars: number } & MetadataView;
}

/**
 * The report of a raw plan, which carries the engine only: its name, bindings
 * and device come from TensorRT when it is loaded. Every tuple field is null and
 * named in `notInFile`, never filled with a default as if the file held it.
 */
export type PlanInspectReport = InspectReportBase & { notInFile: TupleField[] } & Record<TupleField, null>;

/** What `trt inspect --json` prints. */
export type InspectReport = TupleInspectReport | PlanInspectReport;

/** Reads the file once; an archive with several engines and no choice is shown at engine 0, with a note. */
async function readForInspect(file: string, engine: string | number | undefined): Promise<EngineFileRead & { note?: string }> {
  // Only archives look at `engine`; asking for engine 0 where none was chosen lists them all instead of failing.
  const read = await readEngineFileWithSource(file, { engine: engine ?? 0 });
  if (engine === undefined && read.source.kind === "archive" && read.source.engines.length > 1) {
    return { ...read, note: "the archive holds several engines; this shows engine 0 (pick another with --engine)" };
  }
  return read;
}

/** Reads `file` and builds the report (throws FormatError or Node I/O errors). */
export async function inspectEngineFile(file: string, options: { engine?: string | number } = {}): Promise<InspectReport> {
  const { value, source, fileBytes, note } = await readForInspect(file, options.engine);
  const engine = { bytes: value.engine.length, sha256: createHash("sha256").update(value.engine).digest("hex") };
  if (source.kind === "plan") {
    // The reader fills a plan's tuple with defaults so it can be loaded; none of them is in the file.
    const absent = Object.fromEntries(TUPLE_FIELDS.map((f) => [f, null])) as Record<TupleField, null>;
    const report: PlanInspectReport = { file, fileBytes, source, notInFile: [...TUPLE_FIELDS], ...absent, engine };
    return report;
  }
  return {
    ...(note !== undefined ? { note } : {}),
    file,
    fileBytes,
    source,
    notInFile: [],
    abiVersion: value.abiVersion,
    name: value.name,
    device: { ...value.device, raw: formatDeviceInfo(value.device) },
    engine,
    inputBindingNames: value.inputBindingNames,
    outputBindingNames: value.outputBindingNames,
    hardwareCompatible: value.hardwareCompatible,
    targetPlatform: value.targetPlatform,
    requiresOutputAllocator: value.requiresOutputAllocator,
    resourceAllocationStrategy: value.resourceAllocationStrategy,
    requiresNativeMultiDevice: value.requiresNativeMultiDevice,
    aliasedIO: value.aliasedIO,
    metadata: { raw: value.metadata, base64Chars: value.metadata.length, ...decodeMetadata(value.metadata) },
  };
}

const yesNo = (b: boolean): string => (b ? "yes" : "no");
const list = (names: string[]): string => (names.length === 0 ? "(none)" : names.join(", "));

const ARCHIVE_FORMATS = { torchscript: "TorchScript archive", exported_program: "ExportedProgram archive", torch_save: "torch.save archive" } as const;

function describeSource(s: EngineFileSource): string {
  if (s.kind === "container") return `container v${s.version}, CRC-32 ${s.checksum}`;
  if (s.kind === "plan") {
    const who = { emulator: "TensorRT emulator plan", tensorrt: "raw TensorRT plan", "tensorrt-rtx": "raw TensorRT-RTX plan" }[s.producer];
    const release = s.producer === "tensorrt-rtx" ? "TensorRT-RTX" : "TensorRT";
    return s.tensorrtVersion !== null ? `${who}, built by ${release} ${s.tensorrtVersion}` : who;
  }
  if (s.kind === "archive") return `${ARCHIVE_FORMATS[s.format]}, engine ${s.selected.index} of ${s.engines.length} (${s.selected.path}, entry ${s.selected.entry})`;
  return `pickle protocol ${s.protocol ?? "0/1"}, ${s.shape === "list" ? "engine list" : "module extra state"}, engine as ${s.engineEncoding}`;
}

function archiveListing(s: EngineFileSource): string[] {
  if (s.kind !== "archive") return [];
  return s.engines.map((e) => `${e.index}: ${e.path}  name ${JSON.stringify(e.name)}, abi ${e.abiVersion}, ${e.engineBytes} bytes, inputs ${list(e.inputBindingNames)}, outputs ${list(e.outputBindingNames)}`);
}

function describeMetadata(m: TupleInspectReport["metadata"]): string[] {
  if (m.status === "empty") return ["(empty)"];
  const head = `${m.base64Chars} base64 chars, pickle of ${m.pickleBytes} bytes`;
  if (m.status === "error") return [`${head}; not decodable (${m.error?.code}: ${m.error?.message}), kept as opaque bytes`];
  const lines = [`${head}, protocol ${m.protocol ?? "0/1"}${m.truncated ? " (view truncated)" : ""}`];
  if (m.classes.length > 0) lines.push(`classes: ${m.classes.join(", ")}`);
  return [...lines, ...compactJson(m.value, "").split("\n")];
}

// JSON.stringify(v, null, 2), except that short arrays of scalars stay on one line
// (a shape like [1, 3, 224, 224] is easier to read that way).
function compactJson(v: unknown, indent: string): string {
  if (Array.isArray(v)) {
    const inline = `[${v.map((x) => JSON.stringify(x)).join(", ")}]`;
    if (v.every((x) => x === null || typeof x !== "object") && inline.length <= 72) return inline;
    if (v.length === 0) return "[]";
    return `[\n${v.map((x) => `${indent}  ${compactJson(x, `${indent}  `)}`).join(",\n")}\n${indent}]`;
  }
  if (v !== null && typeof v === "object") {
    const entries = Object.entries(v);
    if (entries.length === 0) return "{}";
    return `{\n${entries.map(([k, x]) => `${indent}  ${JSON.stringify(k)}: ${compactJson(x, `${indent}  `)}`).join(",\n")}\n${indent}}`;
  }
  return JSON.stringify(v) ?? "null";
}

/** The human-readable report: one field per line, metadata last. */
export function formatInspectReport(report: InspectReport): string {
  if (report.notInFile.length > 0) {
    const r = report;
    // A plan carries the engine only: no tuple fields to show, and its bindings come from TensorRT.
    const rows: Array<[string, string]> = [
      ["file", `${r.file} (${r.fileBytes} bytes)`],
      ["format", describeSource(r.source)],
      ["engine", `${r.engine.bytes} bytes, sha256 ${r.engine.sha256.slice(0, 16)}`],
      ["bindings", "named by the engine when it is loaded (--deserialize lists them)"],
    ];
    const width = Math.max(...rows.map(([k]) => k.length)) + 2;
    const text = rows.map(([k, v]) => `${k.padEnd(width)}${v}`).join("\n");
    return `${text}\n${r.deserialized !== undefined ? formatDeserialized(r.deserialized) : ""}`;
  }
  const r = report as TupleInspectReport;
  const d = r.device;
  const rows: Array<[string, string]> = [
    ["file", `${r.file} (${r.fileBytes} bytes)`],
    ["format", describeSource(r.source)],
    ["abi version", r.abiVersion],
    ["name", r.name],
    ["device", `gpu ${d.gpuId}, sm ${d.smMajor}.${d.smMinor}, ${deviceTypeName(d.deviceType)}, ${JSON.stringify(d.deviceName)} [${d.raw}]`],
    ["engine", `${r.engine.bytes} bytes, sha256 ${r.engine.sha256.slice(0, 16)}`],
    ["input bindings", list(r.inputBindingNames)],
    ["output bindings", list(r.outputBindingNames)],
    ["hardware compatible", yesNo(r.hardwareCompatible)],
    ["target platform", r.targetPlatform],
    ["requires output allocator", yesNo(r.requiresOutputAllocator)],
    ["resource allocation", r.resourceAllocationStrategy],
    ["requires native multidevice", yesNo(r.requiresNativeMultiDevice)],
    ["aliased i/o", r.aliasedIO.length === 0 ? "(none)" : r.aliasedIO.map((a) => `${a.output} <- ${a.input} (${a.kind})`).join(", ")],
  ];
  const width = Math.max(...rows.map(([k]) => k.length), "metadata".length) + 2;
  const [first, ...rest] = describeMetadata(r.metadata);
  const out = rows.map(([k, v]) => `${k.padEnd(width)}${v}`);
  const engines = archiveListing(r.source);
  if (engines.length > 0) out.splice(2, 0, ...engines.map((l, i) => `${(i === 0 ? "engines" : "").padEnd(width)}${l}`));
  if (r.note !== undefined) out.unshift(`note: ${r.note}`);
  out.push(`${"metadata".padEnd(width)}${first}`, ...rest.map((l) => `${" ".repeat(width)}${l}`));
  return `${out.join("\n")}\n${r.deserialized !== undefined ? formatDeserialized(r.deserialized) : ""}`;
}

/** Adds `inspect` to the program. */
export function registerInspect(program: Command): void {
  program
    .command("inspect")
    .description("print what an engine file holds: its tuple fields and metadata, an archive's engines, a plan's header")
    .argument("<file>", "engine file: a TensorRT plan (.engine), a Torch-TensorRT .ep/.ts archive, a .trtengine container or a pickled tuple")
    .option("--engine <name|index>", "which engine of an archive with several (default: list them all, show engine 0)", parseEngineChoice)
    .option("--deserialize", "also load the engine with TensorRT and list its I/O tensors, profiles and layers (needs a GPU and TensorRT)")
    .option("--json", "print the report as JSON")
    .action(async (file: string, options: { json?: boolean; engine?: string | number; deserialize?: boolean }, command: Command) => {
      try {
        const report = await inspectEngineFile(file, options.engine !== undefined ? { engine: options.engine } : {});
        if (options.deserialize === true) {
          const environment = await applyGlobalOptions(globalOptions(command));
          // The engine the report shows (engine 0 of an archive when none was chosen).
          const engine = report.source.kind === "archive" ? report.source.selected.index : undefined;
          report.deserialized = await describeDeserialized(file, { environment, engine });
        }
        process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatInspectReport(report));
      } catch (e) {
        reportCliError(e, file);
      }
    });
}
