/**
 * The host stand-in for a GPU. It exists only to run the TensorRT emulator in
 * host mode on machines without CUDA: "device" memory is host memory, streams
 * and events are tokens, and everything is done by the time a call returns
 * (the emulator executes synchronously inside enqueueV3).
 *
 * It can pretend to be several GPUs (see host-devices.ts) and then keeps
 * CUDA's bookkeeping for them: a current device that only setDevice changes,
 * streams that belong to the device current when they were made, memory
 * counted against the device of the stream it was allocated on, and counters
 * of getDevice/setDevice calls, so tests can see when the runtime asks for or
 * switches the current device.
 */
import { InputError, RuntimeUnavailableError } from "../errors/index.js";
import type { DeviceLayer, DeviceCapabilities, DeviceMemoryInfo, DeviceProperties, EventOptions } from "./device.js";
import { hostDeviceProperties } from "./host-devices.js";
import type { HostDevicesOption } from "./host-devices.js";
import { allocNative, copyNative, freeNative, isNativeAllocation, nativeMemoryStats, nativeView, TENSOR_ALIGNMENT } from "./native-memory.js";

/** How many times the current device was asked for and set, over a HostDevice's life. */
export interface HostDeviceCalls {
  readonly getDevice: number;
  readonly setDevice: number;
}

export class HostDevice implements DeviceLayer {
  readonly kind = "host" as const;
  readonly capabilities: DeviceCapabilities = { graphs: false, asynchronous: false };
  private nextHandle = 1;
  /** Stream -> the device that was current when it was made. */
  private readonly streams = new Map<number, number>();
  /** Event -> time of its last record (performance.now()), or NaN before the first. */
  private readonly events = new Map<number, number>();
  private readonly devices: readonly DeviceProperties[];
  /** Live allocations of this layer: address -> the device it counts against, and its size. */
  private readonly owners = new Map<number, { ordinal: number; bytes: number }>();
  private readonly usedBytes: number[];
  private current = 0;
  private getCalls = 0;
  private setCalls = 0;

  /** @param devices how many GPUs to stand in for, or each described (default one; see host-devices.ts). */
  constructor(devices?: HostDevicesOption) {
    this.devices = Object.freeze(hostDeviceProperties(devices));
    this.usedBytes = this.devices.map(() => 0);
  }

  deviceCount(): number {
    return this.devices.length;
  }

  properties(ordinal = this.current): DeviceProperties {
    this.checkOrdinal(ordinal);
    return this.devices[ordinal]!;
  }

  setDevice(ordinal: number): void {
    this.checkOrdinal(ordinal);
    this.setCalls++;
    this.current = ordinal;
  }

  getDevice(): number {
    this.getCalls++;
    return this.current;
  }

  /** The current device, without counting a getDevice call (for observers that must not disturb {@link calls}). */
  peekDevice(): number {
    return this.current;
  }

  /** getDevice/setDevice calls so far: what a test reads to see whether the runtime checked or switched the device. */
  get calls(): HostDeviceCalls {
    return { getDevice: this.getCalls, setDevice: this.setCalls };
  }

  /** The device a stream of this layer belongs to (the one current when it was made); null for an unknown stream. */
  streamDevice(stream: number): number | null {
    return this.streams.get(stream) ?? null;
  }

  /** Free and total memory of the current device: its total less what this layer allocated on it. */
  memoryInfo(): DeviceMemoryInfo {
    const total = this.devices[this.current]!.totalMemoryBytes;
    return { freeBytes: Math.max(0, total - this.usedBytes[this.current]!), totalBytes: total };
  }

  /** Like cudaMallocAsync: from the pool of the stream's device (the current device for stream 0). */
  alloc(bytes: number, stream = 0): number {
    const address = allocNative(bytes, TENSOR_ALIGNMENT);
    const ordinal = this.streams.get(stream) ?? this.current;
    this.owners.set(address, { ordinal, bytes });
    this.usedBytes[ordinal]! += bytes;
    return address;
  }

  free(address: number, _stream = 0): void {
    if (!freeNative(address)) this.unknownAddress(address, "free");
    this.disown(address);
  }

  allocHost(bytes: number): number {
    return allocNative(bytes, TENSOR_ALIGNMENT);
  }

  freeHost(address: number): void {
    if (!freeNative(address)) this.unknownAddress(address, "freeHost");
    this.disown(address);
  }

  hostView(address: number, bytes: number): ArrayBuffer {
    return nativeView(address, bytes);
  }

  memset(address: number, value: number, bytes: number, _stream = 0): void {
    new Uint8Array(nativeView(address, bytes)).fill(value);
  }

  copyHostToDevice(dst: number, src: ArrayBufferView, _stream: number): void {
    this.copyHostToDeviceSync(dst, src);
  }

  copyDeviceToHost(dst: ArrayBufferView, src: number, _stream: number): void {
    this.copyDeviceToHostSync(dst, src);
  }

  copyDeviceToDevice(dst: number, src: number, bytes: number, _stream: number): void {
    this.copyDeviceToDeviceSync(dst, src, bytes);
  }

  copyHostToDeviceSync(dst: number, src: ArrayBufferView): void {
    copyNative(dst, src, src.byteLength);
  }

  copyDeviceToHostSync(dst: ArrayBufferView, src: number): void {
    copyNative(dst, src, dst.byteLength);
  }

  copyDeviceToDeviceSync(dst: number, src: number, bytes: number): void {
    if (dst !== src) copyNative(dst, src, bytes);
  }

  createStream(): number {
    const s = this.nextHandle++;
    this.streams.set(s, this.current);
    return s;
  }

  destroyStream(stream: number): void {
    this.streams.delete(stream);
  }

  synchronize(_stream: number): void {}

  synchronizeAsync(_stream: number, _activate?: () => void): Promise<void> {
    return Promise.resolve();
  }

  queryStream(_stream: number): boolean {
    return true;
  }

  createEvent(_options?: EventOptions): number {
    const e = this.nextHandle++;
    this.events.set(e, Number.NaN);
    return e;
  }

  destroyEvent(event: number): void {
    this.events.delete(event);
  }

  recordEvent(event: number, _stream: number): void {
    this.events.set(event, performance.now());
  }

  queryEvent(_event: number): boolean {
    return true;
  }

  synchronizeEvent(_event: number): void {}

  elapsedMs(start: number, end: number): number {
    const a = this.events.get(start);
    const b = this.events.get(end);
    if (a === undefined || b === undefined || Number.isNaN(a) || Number.isNaN(b)) {
      throw new InputError({
        problem: "device",
        tensor: null,
        expected: "two recorded events of this device",
        found: `events ${start} and ${end}${a === undefined || b === undefined ? " (one is unknown)" : " (one was never recorded)"}`,
        fix: "Record both events before asking for the time between them.",
      });
    }
    return b - a;
  }

  beginCapture(_stream: number): void {
    this.noGraphs();
  }

  endCapture(_stream: number): number {
    return this.noGraphs();
  }

  instantiateGraph(_graph: number): number {
    return this.noGraphs();
  }

  launchGraph(_graphExec: number, _stream: number): void {
    this.noGraphs();
  }

  destroyGraph(_graph: number): void {
    this.noGraphs();
  }

  destroyGraphExec(_graphExec: number): void {
    this.noGraphs();
  }

  /**
   * Live host allocations of the whole process made through this layer's
   * allocator (every HostDevice, plus the ffi engine's own small buffers):
   * a count that does not come back down after work is done is a leak.
   */
  stats(): { liveAllocations: number; liveBytes: number } {
    return nativeMemoryStats();
  }

  /** True when `address` is memory this device allocated and has not freed. */
  owns(address: number): boolean {
    return isNativeAllocation(address);
  }

  private noGraphs(): never {
    throw new RuntimeUnavailableError({
      component: "device",
      expected: "a CUDA device to capture and launch CUDA graphs",
      reason: "the host device runs work synchronously and has no graphs",
      fix: 'Run on a GPU, or use cudaGraphStrategy "disabled" with the host emulator.',
    });
  }

  private disown(address: number): void {
    const owner = this.owners.get(address);
    if (!owner) return;
    this.owners.delete(address);
    this.usedBytes[owner.ordinal]! -= owner.bytes;
  }

  private checkOrdinal(ordinal: number): void {
    const count = this.devices.length;
    if (!Number.isInteger(ordinal) || ordinal < 0 || ordinal >= count) {
      throw new InputError({
        problem: "device",
        tensor: null,
        expected: count === 1 ? "device 0 (the host device is the only one)" : `a device from 0 to ${count - 1} (the host stands in for ${count} devices)`,
        found: `device ${ordinal}`,
        fix: "Use one of those, or run on a machine with that many GPUs.",
      });
    }
  }

  private unknownAddress(address: number, operation: string): never {
    throw new InputError({
      problem: "device",
      tensor: null,
      expected: `an address this host device allocated (for ${operation})`,
      found: `0x${address.toString(16)}, which it did not allocate or already freed`,
      fix: "Free each allocation once, with the device that made it.",
    });
  }
}
