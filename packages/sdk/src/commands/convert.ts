// `trt convert RAW.engine -o FILE`: wraps raw TensorRT engine bytes (what
// trtexec --saveEngine or IHostMemory writes) into the engine tuple, with the
// binding names and flags Torch-TensorRT records, in the layout of the
// Torch-TensorRT release that is to load it (--abi), and saves it as a
// container (or a pickle Python loads). Needs no GPU; --check also
// deserializes the result with the runtime before writing it.
import { readFile, stat } from "node:fs/promises";
import { basename, extname } from "node:path";
import { createSerializedEngine, parseDeviceInfo, WRITABLE_ABI_VERSIONS } from "@trt/format";
import { looksLikeZip } from "@trt/format/zip";
import { hasContainerMagic, looksLikePickle } from "@trt/format/container";
import { ALIASED_IO_FIELD_DELIMITER, parseAliasedIO, resolveWriteAbi, TORCH_TENSORRT_RELEASES } from "@trt/format/tuple";
import type { PickleProtocol, SerializedEngine } from "@trt/format";
import { writeEngineFile } from "@trt/format/node";
import { InvalidArgumentError, Option } from "commander";
import type { Command } from "commander";
import { CliError, reportCliError } from "../cli/errors.js";
import { applyGlobalOptions, globalOptions } from "../cli/global-options.js";

interface ConvertOptions {
  output: string;
  inputs?: string[];
  outputs?: string[];
  name?: string;
  deviceInfo: string;
  hardwareCompatible?: boolean;
  requiresOutputAllocator?: boolean;
  resourceAllocation: "static" | "dynamic";
  requiresNativeMultidevice?: boolean;
  targetPlatform?: string;
  aliasedIo?: string[];
  metadata: string;
  format: "container" | "pickle";
  pickleProtocol: string;
  abi?: string;
  check?: boolean;
}

const names = (value: string): string[] => value.split(",").map((n) => n.trim());

/** The tuple for `engine` as the options describe it (the format package validates each field on write). */
export function tupleFromOptions(engine: Uint8Array, file: string, options: ConvertOptions, platform: string): SerializedEngine {
  return createSerializedEngine({
    engine,
    name: options.name ?? (basename(file, extname(file)) || "tensorrt_engine"),
    device: parseDeviceInfo(options.deviceInfo),
    inputBindingNames: options.inputs ?? [],
    outputBindingNames: options.outputs ?? [],
    hardwareCompatible: options.hardwareCompatible === true,
    metadata: options.metadata,
    targetPlatform: options.targetPlatform ?? platform,
    requiresOutputAllocator: options.requiresOutputAllocator === true,
    resourceAllocationStrategy: options.resourceAllocation,
    requiresNativeMultiDevice: options.requiresNativeMultidevice === true,
    aliasedIO: (options.aliasedIo ?? []).flatMap((record) => parseAliasedIO(record)),
  });
}

async function readRawEngine(file: string): Promise<Uint8Array> {
  const bytes = await readFile(file);
  const kind = hasContainerMagic(bytes)
    ? "a .trtengine container"
    : looksLikePickle(bytes)
      ? "a pickled engine tuple"
      : looksLikeZip(bytes)
        ? "a torch archive (TorchScript or ExportedProgram), which `trt run` and TensorRTModule.load open directly"
        : null;
  if (kind) throw new CliError("ALREADY_CONTAINER", `${file} is ${kind}, not raw engine bytes; \`trt inspect ${file}\` shows what it holds`);
  return bytes;
}

/** Adds `convert` to the program. */
export function registerConvert(program: Command): void {
  program
    .command("convert")
    .description("wrap raw TensorRT engine bytes into an engine file (Torch-TensorRT's tuple, as a container or pickle)")
    .argument("<raw>", "raw engine bytes (a serialized TensorRT plan)")
    .requiredOption("-o, --output <file>", "the engine file to write")
    .option("--inputs <names>", "input binding names, comma-separated, in positional order (default: the engine's own order)", names)
    .option("--outputs <names>", "output binding names, comma-separated (default: the engine's own order)", names)
    .option("--name <name>", "the module name (default: the raw file's base name)")
    .option("--device-info <info>", "device the engine was built for, gpu_id%sm_major%sm_minor%device_type%name", "0%0%0%0%")
    .option("--hardware-compatible", "the engine was built hardware-compatible (runs on any Ampere or newer GPU)")
    .option("--requires-output-allocator", "every output goes through TensorRT's output allocator")
    .addOption(new Option("--resource-allocation <strategy>", "execution-context memory: static or dynamic").choices(["static", "dynamic"]).default("static"))
    .option("--requires-native-multidevice", "the engine needs native multi-device support")
    .option("--target-platform <platform>", "platform slot: linux_x86_64, linux_aarch64, windows_x86_64, ... (default: this machine's)")
    .option(
      "--aliased-io <output@input@kind>",
      `an output that aliases an input (kinds: kv_cache_update, user); repeatable`,
      (value: string, previous: string[] = []) => {
        if (value.split(ALIASED_IO_FIELD_DELIMITER).length !== 3) throw new InvalidArgumentError("expected output@input@kind");
        return [...previous, value];
      },
    )
    .option("--metadata <base64>", "Torch-TensorRT's serialized metadata slot, verbatim (base64 of a pickle)", "")
    .addOption(new Option("--format <format>", "file format").choices(["container", "pickle"]).default("container"))
    .addOption(new Option("--pickle-protocol <n>", "pickle protocol with --format pickle").choices(["2", "3", "4", "5"]).default("4"))
    .addOption(
      new Option(
        "--abi <version>",
        `the Torch-TensorRT ABI to write: ${WRITABLE_ABI_VERSIONS.map((a) => `${a} (${TORCH_TENSORRT_RELEASES[a].replace("Torch-TensorRT ", "")})`).join(", ")} (default: the newest released, 9, or the one a flag given needs)`,
      ).choices([...WRITABLE_ABI_VERSIONS]),
    )
    .option("--check", "deserialize the engine with the runtime and match the binding names before writing")
    .action(async (raw: string, options: ConvertOptions, command: Command) => {
      try {
        const { currentTargetPlatform } = await import("@trt/runtime/advanced");
        const value = tupleFromOptions(await readRawEngine(raw), raw, options, currentTargetPlatform());
        // Before any work: an ABI that cannot carry a flag given is refused here, not after --check.
        const abi = resolveWriteAbi(value, options.abi).abiVersion;
        if (options.check) {
          const environment = await applyGlobalOptions(globalOptions(command));
          const { TensorRTModule } = await import("@trt/runtime");
          const module = await TensorRTModule.fromTuple(value, { environment });
          process.stderr.write(`check: ${module.name} loads on ${environment.resolve().implementation}: inputs ${module.inputNames.join(", ")}; outputs ${module.outputNames.join(", ")}\n`);
          module.release();
        }
        await writeEngineFile(options.output, value, {
          format: options.format,
          abi,
          pickle: { protocol: Number(options.pickleProtocol) as PickleProtocol },
        });
        const bytes = (await stat(options.output)).size;
        const io = `inputs ${value.inputBindingNames.join(", ") || "(from the engine)"}; outputs ${value.outputBindingNames.join(", ") || "(from the engine)"}`;
        process.stdout.write(`wrote ${options.output} (${options.format}, ABI ${abi}, ${bytes} bytes): ${JSON.stringify(value.name)}, ${io}\n`);
      } catch (e) {
        reportCliError(e);
      }
    });
}
