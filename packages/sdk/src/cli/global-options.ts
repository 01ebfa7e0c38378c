/**
 * The options every command takes: which engine implementation runs
 * (`--runtime`), which TensorRT and CUDA libraries load (`--nvinfer`,
 * `--cudart`), which plugin libraries (`--plugin`, repeatable) and whether
 * engines may carry host code (`--allow-engine-host-code`). They map onto the runtime's own controls
 * (setRuntime and a TensorRTEnvironment), so the CLI behaves exactly as a
 * program using the SDK with the same settings; unset, the runtime reads
 * TRT_RUNTIME, TRT_NVINFER_PATH, TRT_CUDART_PATH, TRT_PLUGIN_PATHS and
 * TRT_ALLOW_ENGINE_HOST_CODE as usual. The runtime is imported
 * only when a command needs it, so `trt inspect` and `trt --help` load
 * neither koffi nor a native library.
 */
import { Option } from "commander";
import type { Command } from "commander";
import type { RuntimeKind, TensorRTEnvironment } from "@trt/runtime";

// The runtime's RUNTIME_KINDS, spelled out so that declaring the option does not load the runtime (and koffi).
const RUNTIME_KIND_CHOICES: RuntimeKind[] = ["native", "ffi", "auto"];

/** The global options as commander parses them. */
export interface GlobalOptions {
  readonly runtime?: RuntimeKind;
  readonly nvinfer?: string;
  readonly cudart?: string;
  readonly allowEngineHostCode?: boolean;
  /** --plugin, once per library (commander collects them); empty when none was given. */
  readonly plugin?: readonly string[];
}

/** Collects a repeatable option's values. */
const collect = (value: string, previous: readonly string[] = []): string[] => [...previous, value];

/** Declares the global options on the program. */
export function addGlobalOptions(program: Command): void {
  program
    .addOption(
      new Option("--runtime <kind>", "engine implementation: native (C++ addon), ffi (koffi) or auto (default: $TRT_RUNTIME, else auto)").choices(
        RUNTIME_KIND_CHOICES,
      ),
    )
    .option(
      "--nvinfer <path>",
      "libnvinfer to load (default: $TRT_NVINFER_PATH, else libnvinfer.so.11, .so.10 through the system loader, then the tensorrt pip wheels; see trt doctor)",
    )
    .option(
      "--cudart <path>",
      "libcudart to load (default: $TRT_CUDART_PATH, else libcudart.so.13, .so.12 through the system loader, then the nvidia-cuda-runtime pip wheels)",
    )
    .option(
      "--plugin <path>",
      "a plugin library to load through TensorRT's plugin registry before the engine (repeatable; default: $TRT_PLUGIN_PATHS, colon-separated); TensorRT's own libnvinfer_plugin is loaded from beside libnvinfer",
      collect,
    )
    .option(
      "--allow-engine-host-code",
      "deserialize engines that carry host code (lean runtime embedded, plugins): they run that code in this process; only for engines you trust (default: $TRT_ALLOW_ENGINE_HOST_CODE=1, else refused)",
    );
}

/** The global options seen from a subcommand. */
export function globalOptions(command: Command): GlobalOptions {
  return command.optsWithGlobals<GlobalOptions>();
}

/**
 * Applies the global options to this process: selects the implementation
 * and makes an environment with the given library paths the default, so
 * every module and tensor the command creates uses them. Returns it.
 */
export async function applyGlobalOptions(options: GlobalOptions): Promise<TensorRTEnvironment> {
  const { setRuntime, TensorRTEnvironment } = await import("@trt/runtime");
  if (options.runtime) setRuntime(options.runtime);
  const environment = new TensorRTEnvironment({
    ...(options.nvinfer ? { nvinferPath: options.nvinfer } : {}),
    ...(options.cudart ? { cudartPath: options.cudart } : {}),
    ...(options.allowEngineHostCode ? { allowEngineHostCode: true } : {}),
    ...(options.plugin && options.plugin.length > 0 ? { plugins: options.plugin.map((path) => ({ path, origin: "--plugin" })) } : {}),
  });
  TensorRTEnvironment.setDefault(environment);
  return environment;
}
