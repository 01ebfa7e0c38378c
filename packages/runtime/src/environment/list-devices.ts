/**
 * What devices this process can see and which of them TensorRT engines can
 * run on, like `nvidia-smi -L` plus what `torch.cuda.get_device_properties`
 * reports. Listing never throws: with no CUDA driver, no GPU or no TensorRT
 * it returns what it could find and says why the rest is missing.
 *
 * Free memory is per device, and CUDA only reports it for the current device,
 * so listing makes each device current in turn and then restores the device
 * that was current. On a GPU that also creates the device's primary context
 * (some hundreds of MB of device memory, and time) the first time; pass
 * `{ memory: false }` to skip it.
 */
import type { TensorRTLibraryInfo } from "../engine/contract.js";
import { CudaDevice } from "../device/cuda-device.js";
import type { DeviceLayer, DeviceKind, DeviceMemoryInfo, DeviceProperties } from "../device/device.js";
import { RuntimeUnavailableError } from "../errors/index.js";

/** One device as {@link listDevices} reports it. */
export interface DeviceDescription {
  readonly ordinal: number;
  /** How a module names it: "cuda:1", or "host:0" for the emulator's stand-in. */
  readonly device: string;
  readonly kind: DeviceKind;
  /** The product name ("NVIDIA H100 80GB HBM3"). */
  readonly name: string;
  /** Compute capability as "major.minor" ("9.0"); "0.0" for a stand-in that runs any engine. */
  readonly computeCapability: string;
  readonly major: number;
  readonly minor: number;
  readonly totalMemoryBytes: number;
  /** Free memory now; null when it was not asked for (`memory: false`) or could not be read. */
  readonly freeMemoryBytes: number | null;
  readonly multiProcessorCount: number;
  /** PCI address ("0000:41:00.0"); null where there is none (the stand-in). */
  readonly pciBusId: string | null;
  readonly uuid: string | null;
  /** Whether TensorRT engines can run here: TensorRT loaded and supports this compute capability. */
  readonly tensorrt: boolean;
  /** Why not, when `tensorrt` is false; else null. */
  readonly reason: string | null;
}

/** The result of {@link listDevices}. */
export interface DeviceListing {
  /** The device layer listed: "cuda", "host" (the emulator in host mode), or null when none could be used. */
  readonly kind: DeviceKind | null;
  readonly devices: readonly DeviceDescription[];
  /** Why the list is empty, or why no device can run engines (TensorRT did not load); null when all is well. */
  readonly reason: string | null;
}

/** Options of {@link listDevices}. */
export interface ListDevicesOptions {
  /** Read each device's free memory (default true; on a GPU this creates each device's CUDA context: see above). */
  readonly memory?: boolean;
}

/** What the listing needs from an environment (TensorRTEnvironment has it). */
export interface ListingSource {
  readonly library: TensorRTLibraryInfo;
  readonly deviceLayer: DeviceLayer;
  readonly options: { readonly cudartPath?: string };
}

/**
 * The oldest compute capability the loaded TensorRT runs on: 7.0 (Volta) for
 * TensorRT 10 over CUDA 12, per TensorRT 10's support matrix; 7.5 (Turing)
 * for later majors, and over CUDA 13, which dropped Volta.
 */
export function minimumComputeCapability(tensorrtMajor: number, cudaRuntimeVersion: number | null): { major: number; minor: number } {
  return tensorrtMajor >= 11 || (cudaRuntimeVersion ?? 0) >= 13000 ? { major: 7, minor: 5 } : { major: 7, minor: 0 };
}

const message = (error: unknown) => (error instanceof RuntimeUnavailableError ? error.reason : error instanceof Error ? error.message : String(error));

/** Lists `source`'s devices; see the module comment. Never throws. */
export function listDevicesOf(source: ListingSource, options: ListDevicesOptions = {}): DeviceListing {
  let library: TensorRTLibraryInfo | null = null;
  let noTensorRT: string | null = null;
  try {
    library = source.library;
  } catch (error) {
    noTensorRT = `TensorRT did not load: ${message(error)}`;
  }
  let layer: DeviceLayer;
  try {
    // Without TensorRT there is no telling whether the emulator would run in host mode: list the GPUs CUDA sees.
    layer = library ? source.deviceLayer : cudaLayer(source.options.cudartPath);
  } catch (error) {
    return { kind: null, devices: [], reason: [noTensorRT, `no device: ${message(error)}`].filter(Boolean).join("; ") };
  }
  const count = safely(() => layer.deviceCount(), 0);
  if (count === 0) return { kind: layer.kind, devices: [], reason: [noTensorRT, "the device layer reports no device"].filter(Boolean).join("; ") };
  const cudaRuntime = layer instanceof CudaDevice ? safely(() => layer.versions().runtime, null) : null;
  const free = options.memory === false ? null : freeMemory(layer, count);
  const devices: DeviceDescription[] = [];
  for (let ordinal = 0; ordinal < count; ordinal++) {
    let props: DeviceProperties;
    try {
      props = layer.properties(ordinal);
    } catch (error) {
      // A device CUDA counts but will not describe (busy in exclusive mode, fallen off the bus): still listed.
      props = { ordinal, name: "unknown", major: 0, minor: 0, multiProcessorCount: 0, totalMemoryBytes: 0, uuid: null };
      devices.push(describe(layer.kind, props, null, `its properties could not be read: ${message(error)}`));
      continue;
    }
    devices.push(describe(layer.kind, props, free?.[ordinal] ?? null, whyNot(layer.kind, props, library, noTensorRT, cudaRuntime)));
  }
  return { kind: layer.kind, devices, reason: noTensorRT };
}

function cudaLayer(path: string | undefined): DeviceLayer {
  return new CudaDevice(path !== undefined ? { path } : {});
}

function safely<T>(read: () => T, fallback: T): T {
  try {
    return read();
  } catch {
    return fallback;
  }
}

/** Why TensorRT engines cannot run on a device, or null when they can. */
function whyNot(kind: DeviceKind, props: DeviceProperties, library: TensorRTLibraryInfo | null, noTensorRT: string | null, cudaRuntime: number | null): string | null {
  if (!library) return noTensorRT;
  if (kind === "host") return null; // the device layer is the host stand-in only for the emulator in host mode
  const min = minimumComputeCapability(library.version.major, cudaRuntime);
  if (props.major > min.major || (props.major === min.major && props.minor >= min.minor)) return null;
  return `TensorRT ${library.version.major} needs compute capability ${min.major}.${min.minor} or newer; this device has ${props.major}.${props.minor}`;
}

/** Free memory per ordinal (null where it could not be read), restoring the current device afterwards. */
function freeMemory(layer: DeviceLayer, count: number): (number | null)[] {
  const read = layer.memoryInfo?.bind(layer);
  if (!read) return Array.from({ length: count }, () => null);
  const previous = safely(() => layer.getDevice(), null);
  try {
    return Array.from({ length: count }, (_, ordinal) =>
      safely(() => {
        if (count > 1) layer.setDevice(ordinal);
        return (read() as DeviceMemoryInfo).freeBytes;
      }, null),
    );
  } finally {
    if (previous !== null && count > 1) safely(() => layer.setDevice(previous), undefined);
  }
}

function describe(kind: DeviceKind, props: DeviceProperties, freeMemoryBytes: number | null, reason: string | null): DeviceDescription {
  return Object.freeze({
    ordinal: props.ordinal,
    device: `${kind}:${props.ordinal}`,
    kind,
    name: props.name,
    computeCapability: `${props.major}.${props.minor}`,
    major: props.major,
    minor: props.minor,
    totalMemoryBytes: props.totalMemoryBytes,
    freeMemoryBytes,
    multiProcessorCount: props.multiProcessorCount,
    pciBusId: props.pciBusId ?? null,
    uuid: props.uuid,
    tensorrt: reason === null,
    reason,
  });
}
