// `trt inspect FILE [--json]`: every field of an engine file's tuple, the engine as
// size + hash (never its bytes), and the decoded metadata.
import { createHash } from "node:crypto";
import { decodeMetadata, deviceTypeName, formatDeviceInfo, type MetadataView, type SerializedEngine } from "@trt/format";
import { readEngineFileWithSource, type EngineFileSource } from "@trt/format/node";
import type { Command } from "commander";
import { reportCliError } from "../cli/errors.js";

/** What `trt inspect --json` prints. */
export interface InspectReport {
  file: string;
  fileBytes: number;
  source: EngineFileSource;
  abiVersion: string;
  name: string;
  device: SerializedEngine["device"] & { raw: string };
  engine: { bytes: number; sha256: string };
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

/** Reads `file` and builds the report (throws FormatError or Node I/O errors). */
export async function inspectEngineFile(file: string): Promise<InspectReport> {
  const { value, source, fileBytes } = await readEngineFileWithSource(file);
  return {
    file,
    fileBytes,
    source,
    abiVersion: value.abiVersion,
    name: value.name,
    device: { ...value.device, raw: formatDeviceInfo(value.device) },
    engine: { bytes: value.engine.length, sha256: createHash("sha256").update(value.engine).digest("hex") },
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

function describeSource(s: EngineFileSource): string {
  if (s.kind === "container") return `container v${s.version}, CRC-32 ${s.checksum}`;
  return `pickle protocol ${s.protocol ?? "0/1"}, ${s.shape === "list" ? "engine list" : "module extra state"}, engine as ${s.engineEncoding}`;
}

function describeMetadata(m: InspectReport["metadata"]): string[] {
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
export function formatInspectReport(r: InspectReport): string {
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
  out.push(`${"metadata".padEnd(width)}${first}`, ...rest.map((l) => `${" ".repeat(width)}${l}`));
  return `${out.join("\n")}\n`;
}

/** Adds `inspect` to the program. */
export function registerInspect(program: Command): void {
  program
    .command("inspect")
    .description("print every field of an engine file (container or pickle) and its decoded metadata")
    .argument("<file>", "engine file: a .trtengine container or a pickled tuple")
    .option("--json", "print the report as JSON")
    .action(async (file: string, options: { json?: boolean }) => {
      try {
        const report = await inspectEngineFile(file);
        process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatInspectReport(report));
      } catch (e) {
        reportCliError(e, file);
      }
    });
}
