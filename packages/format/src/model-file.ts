// One reader for every file a user can hand over: a .trtengine container, a pickled
// tuple, a raw TensorRT (or emulator) plan, or a torch archive (TorchScript,
// ExportedProgram) with Torch-TensorRT engines inside. The kind is told from the
// first bytes, never from the file name. Written as a ReadRequest generator so the
// Node file helpers, a browser Blob and bytes in memory share it.

import { CONTAINER_MAGIC } from "./container.js";
import { readContainerInSteps, type ReadRequest } from "./container-reader.js";
import { crc32 as jsCrc32, type Crc32Function } from "./crc32.js";
import { fail } from "./errors.js";
import { readPickledTupleWithInfo, type PickledTupleInfo } from "./pickled-tuple.js";
import { cutShortPlan, readPlanHeader, type PlanHeader, type PlanProducer } from "./plan-header.js";
import { detectEngineFormat } from "./sniff.js";
import { readTorchArchive, selectArchiveEngine, type TorchArchiveFormat } from "./torch/torch-archive.js";
import { createSerializedEngine, decodeTuple, type SerializedEngine } from "./tuple.js";
import { readExactly, runStepsOnBytes } from "./zip/zip-steps.js";

/** An engine in a torch archive, without its bytes (what a listing shows). */
export interface ArchiveEngineSummary {
  /** What `engine: index` selects. */
  index: number;
  /** Submodule attribute or constant name ("_run_on_acc_0.engine"). */
  path: string;
  /** The zip entry holding it. */
  entry: string;
  /** The tuple's name slot. */
  name: string;
  abiVersion: string;
  inputBindingNames: string[];
  outputBindingNames: string[];
  /** Size of the serialized TensorRT engine. */
  engineBytes: number;
}

/** Where a file's engine came from. */
export type EngineFileSource =
  | { kind: "container"; version: number; checksum: "verified" | "skipped" }
  | ({ kind: "pickle" } & Omit<PickledTupleInfo, "value">)
  | {
      kind: "plan";
      /** TensorRT's builder or the emulator. */
      producer: PlanProducer;
      /** The release that built it, when its header says so ("10.6.0.26"). */
      tensorrtVersion: string | null;
    }
  | {
      kind: "archive";
      format: TorchArchiveFormat;
      /** The engine that was returned. */
      selected: ArchiveEngineSummary;
      /** Every engine in the archive. */
      engines: ArchiveEngineSummary[];
    };

/** An engine file read, with how it was stored. */
export interface EngineFileRead {
  /**
   * The engine tuple. For a raw plan only the engine slot comes from the file:
   * binding names are empty (the runtime takes them from the engine) and the
   * device is unknown (the runtime places it on the current GPU).
   */
  value: SerializedEngine;
  /** What kind of file it was, with details. */
  source: EngineFileSource;
  /** File size in bytes. */
  fileBytes: number;
}

/** Options shared by the engine file readers. */
export interface ReadEngineFileOptions {
  /** Check CRC-32s (container trailer, zip entries; default true). */
  verifyChecksum?: boolean;
  /**
   * Which engine of a torch archive with several: its index, its path in the
   * model ("_run_on_acc_0") or its name. Without it an archive must hold exactly
   * one engine (AMBIGUOUS_ENGINE otherwise). A file that holds one engine (a
   * container, a pickle, a raw plan) accepts only 0 or that engine's name here
   * (ENGINE_NOT_FOUND otherwise).
   */
  engine?: string | number;
}

const HEAD_BYTES = 64 * 1024;

/** Summary of one archive engine. */
export function summarizeArchiveEngine(e: { index: number; path: string; entry: string; value: SerializedEngine }): ArchiveEngineSummary {
  return {
    index: e.index,
    path: e.path,
    entry: e.entry,
    name: e.value.name,
    abiVersion: e.value.abiVersion,
    inputBindingNames: [...e.value.inputBindingNames],
    outputBindingNames: [...e.value.outputBindingNames],
    engineBytes: e.value.engine.length,
  };
}

const PRODUCER_NAMES: Record<PlanProducer, string> = { tensorrt: "TensorRT", "tensorrt-rtx": "TensorRT-RTX", emulator: "TensorRT emulator" };

/** A plan shorter than its header says is refused before TensorRT sees it (it would fail there with less to go on). */
function failIfCutShort(head: Uint8Array, size: number): void {
  const cut = cutShortPlan(head, size);
  if (cut === null) return;
  const built = cut.tensorrtVersion !== null ? ` built by ${PRODUCER_NAMES[cut.producer]} ${cut.tensorrtVersion}` : ` written by the ${PRODUCER_NAMES[cut.producer]}`;
  fail(
    "TRUNCATED",
    `the ${cut.declaredBytes} bytes its header states (a plan${built})`,
    `a file of ${size} bytes: the plan was cut short`,
    "The file was cut short (an interrupted copy or download?); copy it again.",
  );
}

/**
 * A file that holds one engine (container, pickle, plan) has nothing to choose
 * from: an engine choice other than index 0 or the engine's own name is refused,
 * never ignored, so a script that meant an archive finds out.
 */
function checkSingleEngineChoice(choice: string | number | undefined, what: string, name: string): void {
  if (choice === undefined || choice === 0 || (name !== "" && choice === name)) return;
  fail(
    "ENGINE_NOT_FOUND",
    `an engine ${typeof choice === "number" ? `at index ${choice}` : JSON.stringify(choice)}`,
    `${what}, which holds one engine${name !== "" ? ` (${JSON.stringify(name)}, index 0)` : " (index 0)"}`,
    "Leave out the engine choice: only TorchScript and ExportedProgram archives hold several engines.",
  );
}

function* wholeFile(size: number, maxBytes: number, head: Uint8Array, what: string): Generator<ReadRequest, Uint8Array, number> {
  if (size > maxBytes) fail("TOO_LARGE", `${what} of at most ${maxBytes} bytes (this platform's largest buffer)`, `${size} bytes`, "Node 20 buffers stop at 4 GiB; split the model into smaller engines.");
  const all = new Uint8Array(size);
  all.set(head);
  if (size > head.length) yield* readExactly(head.length, all.subarray(head.length), what);
  return all;
}

/**
 * The whole read of an engine file of `size` bytes as read requests; resume the
 * generator with the byte count each read returned. `maxBytes` is the largest
 * buffer the platform can hold; `checksum` the CRC-32 to use.
 */
export function* engineFileSteps(
  size: number,
  maxBytes: number,
  checksum: Crc32Function,
  options: ReadEngineFileOptions = {},
): Generator<ReadRequest, EngineFileRead, number> {
  const head = new Uint8Array(Math.min(size, HEAD_BYTES));
  yield* readExactly(0, head, "the start of the file");
  const verify = options.verifyChecksum !== false;
  const kind = detectEngineFormat(head);
  if (kind === "pickle") {
    const all = yield* wholeFile(size, maxBytes, head, "a pickle");
    const { value, ...info } = readPickledTupleWithInfo(all);
    checkSingleEngineChoice(options.engine, "a pickled engine tuple", value.name);
    return { value, source: { kind: "pickle", ...info }, fileBytes: size };
  }
  if (kind === "plan") {
    failIfCutShort(head, size);
    const plan = readPlanHeader(head, size) as PlanHeader;
    checkSingleEngineChoice(options.engine, `a raw ${PRODUCER_NAMES[plan.producer]} plan`, "");
    const engine = yield* wholeFile(size, maxBytes, head, "a TensorRT plan");
    return {
      value: createSerializedEngine({ engine, name: "" }),
      source: { kind: "plan", producer: plan.producer, tensorrtVersion: plan.tensorrtVersion },
      fileBytes: size,
    };
  }
  if (kind === "archive") {
    const archive = yield* readTorchArchive(size, { maxEntryBytes: maxBytes, checksum, verifyChecksum: verify });
    const chosen = selectArchiveEngine(archive, options.engine);
    return {
      value: chosen.value,
      source: { kind: "archive", format: archive.format, selected: summarizeArchiveEngine(chosen), engines: archive.engines.map(summarizeArchiveEngine) },
      fileBytes: size,
    };
  }
  // A file shorter than the magic but matching it so far is a cut-short container (TRUNCATED below).
  const containerPrefix = size > 0 && size < CONTAINER_MAGIC.length && head.every((b, i) => CONTAINER_MAGIC[i] === b);
  if (kind === "unknown" && !containerPrefix) {
    const shown = Array.from(head.subarray(0, 8), (b) => b.toString(16).padStart(2, "0")).join(" ");
    fail(
      "BAD_MAGIC",
      "an engine file: a .trtengine container, a pickled engine tuple, a TensorRT plan, or a TorchScript / ExportedProgram archive",
      size === 0 ? "an empty file" : `first bytes ${shown}`,
      "Check the path. If the file holds engine bytes in a layout not recognised here, wrap them into a container with writeEngineFile().",
      "WRAP_RAW_ENGINE",
    );
  }
  const slots = yield* readContainerInSteps(size, { head, checksum, verifyChecksum: verify, maxSlotBytes: maxBytes });
  const value = decodeTuple(slots);
  checkSingleEngineChoice(options.engine, "a .trtengine container", value.name);
  return {
    value,
    source: { kind: "container", version: 1, checksum: verify ? "verified" : "skipped" },
    fileBytes: size,
  };
}

/**
 * Reads an engine file already in memory (a browser's File/ArrayBuffer, a fetch
 * response): container, pickle, raw plan or torch archive. A plan's engine is
 * a copy; the input may be reused afterwards.
 */
export function readEngineBytes(bytes: Uint8Array, options: ReadEngineFileOptions & { checksum?: Crc32Function } = {}): EngineFileRead {
  return runStepsOnBytes(engineFileSteps(bytes.length, Number.MAX_SAFE_INTEGER, options.checksum ?? jsCrc32, options), bytes);
}
