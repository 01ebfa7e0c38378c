/**
 * Reads an engine's description once, at deserialization: everything the
 * runtime asks about I/O tensors never changes for an engine, and asking
 * TensorRT costs a struct return per dimension query.
 */
import type { EngineInfo, IOTensorSpec, ProfileShape, TrtDataType } from "../engine/contract.js";
import { allocCString } from "../device/native-memory.js";
import { callReturningDims } from "./dims.js";
import type { DimsBuffer } from "./dims.js";
import type { FfiBackendState } from "./backend-state.js";

/** EngineInfo plus the native copies of the tensor names, in io order, for calls that take a name. */
export interface ReadEngineInfo {
  readonly info: EngineInfo;
  readonly nameAddresses: readonly number[];
}

const HARDWARE_LEVELS: readonly EngineInfo["hardwareCompatibilityLevel"][] = ["none", "ampere_plus", "same_compute_capability"];

/** DataType enum value -> contract name ("kFLOAT" -> "float"), from the table so a new major's values follow. */
export function dataTypeNames(enums: Readonly<Record<string, number>>): Map<number, TrtDataType> {
  const out = new Map<number, TrtDataType>();
  for (const [key, value] of Object.entries(enums)) out.set(value, key.slice(1).toLowerCase() as TrtDataType);
  return out;
}

export function readEngineInfo(shared: FfiBackendState, impl: number, dims: DimsBuffer): ReadEngineInfo {
  const b = shared.engine;
  const m = (name: Parameters<typeof b.method>[1]) => b.method(impl, name);
  const enums = shared.table.enums;
  const dtypes = dataTypeNames(enums.DataType);
  const count = m("getNbIOTensors")(impl) as number;
  const profileCount = m("getNbOptimizationProfiles")(impl) as number;
  const nameAddresses: number[] = [];
  const io: IOTensorSpec[] = [];
  const aliased = b.has("getAliasedInputTensor") ? m("getAliasedInputTensor") : null;
  const selectors = [enums.OptProfileSelector.kMIN, enums.OptProfileSelector.kOPT, enums.OptProfileSelector.kMAX] as const;
  for (let i = 0; i < count; i++) {
    const name = m("getIOTensorName")(impl, i) as string;
    const nameAddress = allocCString(name);
    nameAddresses.push(nameAddress);
    const mode = (m("getTensorIOMode")(impl, nameAddress) as number) === enums.TensorIOMode.kINPUT ? "input" : "output";
    const dtypeValue = m("getTensorDataType")(impl, nameAddress) as number;
    const profiles: ProfileShape[] = [];
    if (mode === "input") {
      for (let p = 0; p < profileCount; p++) {
        const [min, opt, max] = selectors.map((s) => callReturningDims(m("getProfileShape"), dims, impl, nameAddress, p, s));
        profiles.push({ min: min!, opt: opt!, max: max! });
      }
    }
    io.push({
      name,
      mode,
      dtype: dtypes.get(dtypeValue) ?? (`unknown(${dtypeValue})` as TrtDataType),
      shape: callReturningDims(m("getTensorShape"), dims, impl, nameAddress),
      location: (m("getTensorLocation")(impl, nameAddress) as number) === enums.TensorLocation.kHOST ? "host" : "device",
      format: (m("getTensorFormatDesc")(impl, nameAddress) as string | null) ?? "",
      profiles,
      aliasedInput: mode === "output" && aliased ? ((aliased(impl, nameAddress) as string | null) || null) : null,
    });
  }
  const hw = m("getHardwareCompatibilityLevel")(impl) as number;
  return {
    nameAddresses,
    info: {
      name: (m("getName")(impl) as string | null) ?? "",
      layerCount: m("getNbLayers")(impl) as number,
      profileCount,
      io,
      deviceMemoryBytes: b.has("getDeviceMemorySizeV2") ? Number(m("getDeviceMemorySizeV2")(impl)) : 0,
      streamableWeightsBytes: Number(m("getStreamableWeightsSize")(impl)),
      hardwareCompatibilityLevel: HARDWARE_LEVELS[hw] ?? "none",
    },
  };
}
