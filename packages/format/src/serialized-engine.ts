/**
 * The decoded engine tuple, on its own: the tuple codec (tuple.ts) and the
 * ABI choice of writers (write-abi.ts) both speak it, and neither imports the
 * other for it.
 */
import type { AliasedIO } from "./aliased-io.js";
import type { DeviceInfo } from "./device.js";
import type { ResourceAllocationStrategy } from "./fields.js";

/** A decoded engine tuple. Field names follow the slots; see README "Layouts". */
export interface SerializedEngine {
  /**
   * ABI version the tuple was read from, or for a tuple made here the one it
   * targets (RELEASED_ABI_VERSION of write-abi.ts unless set). Writers default
   * to it (see write-abi.ts).
   */
  abiVersion: string;
  /** Engine name. */
  name: string;
  /** Device the engine was built for. */
  device: DeviceInfo;
  /** The serialized TensorRT plan, raw bytes. May be a view into a larger buffer (zero-copy reads). */
  engine: Uint8Array;
  /** Input binding names in the order the runtime passes inputs. */
  inputBindingNames: string[];
  /** Output binding names in the order the runtime returns outputs. */
  outputBindingNames: string[];
  /** Built with TensorRT's hardware-compatibility mode (runs on Ampere and newer). */
  hardwareCompatible: boolean;
  /** The metadata slot verbatim: base64 of a Python pickle, "" when absent. See decodeMetadata(). */
  metadata: string;
  /** Platform the engine targets, e.g. "linux_x86_64"; kept verbatim. */
  targetPlatform: string;
  /** Outputs have data-dependent shapes and need an output allocator. */
  requiresOutputAllocator: boolean;
  /** Whether execution-context memory is allocated once ("static") or per call ("dynamic"). */
  resourceAllocationStrategy: ResourceAllocationStrategy;
  /** Engine uses TensorRT's native multi-device (NCCL) support. */
  requiresNativeMultiDevice: boolean;
  /** Outputs that share storage with inputs. */
  aliasedIO: AliasedIO[];
}
