/**
 * What the engine tests share: the emulator's libraries (TensorRT 10 and 11
 * builds), fixture plans built in memory from @trt/emulator's descriptions,
 * and the device the loaded library calls for (the HostDevice for the
 * emulator in host mode, CUDA where the emulator runs in CUDA mode), so the
 * same tests run on a CPU machine and on a GPU.
 */
import { buildPlan, emulatorLibraryPath, FIXTURES } from "@trt/emulator";
import { selectDevice } from "../../src/device/index.js";
import type { DeviceLayer } from "../../src/device/index.js";
import type { TrtDataType } from "../../src/engine/contract.js";
import { FfiBackend } from "../../src/ffi/index.js";

export const MAJORS = [10, 11] as const;
export type Major = (typeof MAJORS)[number];

const backends = new Map<Major, FfiBackend>();
const devices = new Map<Major, DeviceLayer>();
const plans = new Map<string, Uint8Array>();

/** One backend per emulator major per test file (worker), as a process would hold one. */
export function backendFor(major: Major): FfiBackend {
  let backend = backends.get(major);
  if (!backend) backends.set(major, (backend = new FfiBackend({ path: emulatorLibraryPath(major) })));
  return backend;
}

/** The device matching the backend's library: HostDevice for the host-mode emulator, else CUDA. */
export function deviceFor(major: Major): DeviceLayer {
  let device = devices.get(major);
  if (!device) devices.set(major, (device = selectDevice({ library: backendFor(major).library })));
  return device;
}

/** A fixture plan (see @trt/emulator FIXTURES) as bytes. */
export function plan(name: string): Uint8Array {
  const cached = plans.get(name);
  if (cached) return cached;
  const description = FIXTURES[name];
  if (!description) throw new Error(`no emulator fixture named ${name}`);
  const bytes: Uint8Array = buildPlan(description);
  plans.set(name, bytes);
  return bytes;
}

/** Packs shapes in the ExecuteRequest layout: [rank, dims...] per input. */
export function packShapes(shapes: readonly (readonly number[])[]): Float64Array {
  return new Float64Array(shapes.flatMap((s) => [s.length, ...s]));
}

export type HostArray = Float32Array | Int32Array | BigInt64Array | Uint8Array | Int8Array;

/** Device memory holding `data`, and a way to read it back. */
export class DeviceBuffer {
  readonly address: number;
  constructor(
    readonly device: DeviceLayer,
    readonly bytes: number,
  ) {
    this.address = device.alloc(Math.max(bytes, 1));
  }

  static from(device: DeviceLayer, data: HostArray): DeviceBuffer {
    const b = new DeviceBuffer(device, data.byteLength);
    device.copyHostToDeviceSync(b.address, data);
    return b;
  }

  read<T extends HostArray>(Type: { new (n: number): T; BYTES_PER_ELEMENT: number }, count = this.bytes / Type.BYTES_PER_ELEMENT): T {
    const out = new Type(count);
    this.device.copyDeviceToHostSync(out, this.address);
    return out;
  }

  free(): void {
    this.device.free(this.address);
  }
}

/** Element sizes of the contract's dtypes the emulator runs. */
export const DTYPE_BYTES: Partial<Record<TrtDataType, number>> = {
  float: 4,
  half: 2,
  bf16: 2,
  int8: 1,
  uint8: 1,
  int32: 4,
  int64: 8,
  bool: 1,
};
