/**
 * What TensorRTModule's factories check and decide before an engine is
 * deserialized: the options, each checked (a bad one fails before any GPU
 * work), and the device the record's engine is placed on.
 */
import type { SerializedEngine } from "@trt/format";
import { RuntimeSettings } from "@trt/settings";
import { honourRuntimeSettings } from "@trt/settings/advanced";
import type { TensorRTEnvironment } from "../environment/environment.js";
import type { ComputeDevice } from "../placement/compute-device.js";
import { placeEngine } from "../placement/place.js";
import { pluginRequests } from "../plugins/plugin-paths.js";
import type { PluginLibraryRequest } from "../plugins/plugin-paths.js";
import { checkMaxConcurrency, DEFAULT_MAX_CONCURRENCY } from "./lanes.js";
import type { ModuleOptions } from "./module-options.js";
import { checkOutputMemory } from "./reused-outputs.js";
import type { OutputMemory } from "./reused-outputs.js";

export interface CheckedModuleOptions {
  /** The settings asked for, as far as the environment's TensorRT honours them. */
  readonly settings: RuntimeSettings;
  readonly maxConcurrency: number;
  readonly outputMemory: OutputMemory;
  readonly plugins: readonly PluginLibraryRequest[];
}

export function checkModuleOptions(options: ModuleOptions, environment: TensorRTEnvironment): CheckedModuleOptions {
  const requested = RuntimeSettings.from(options.runtimeSettings ?? RuntimeSettings.DEFAULT);
  return {
    settings: honourRuntimeSettings(requested, RuntimeSettings.DEFAULT, environment.capabilities),
    maxConcurrency: checkMaxConcurrency(options.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY),
    outputMemory: checkOutputMemory(options.outputMemory ?? "owned"),
    plugins: pluginRequests(options.plugins, "plugins option"),
  };
}

/** The device for `record`'s engine: `override` if given, else from the device the record says it was built on (when it says). */
export function placeRecord(environment: TensorRTEnvironment, record: SerializedEngine, override: ModuleOptions["device"]): ComputeDevice {
  const known = record.device.smMajor !== 0 || record.device.smMinor !== 0 || record.device.deviceName !== "";
  return placeEngine(environment, {
    recorded: known ? record.device : null,
    hardwareCompatible: record.hardwareCompatible,
    ...(override !== undefined ? { override } : {}),
  });
}
