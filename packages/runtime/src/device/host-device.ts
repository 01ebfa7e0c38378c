/**
 * The host stand-in for a GPU. It exists only to run the TensorRT emulator in
 * host mode on machines without CUDA: "device" memory is host memory, streams
 * and events are tokens, and everything is done by the time a call returns
 * (the emulator executes synchronously inside enqueueV3).
 */
import { totalmem } from "node:os";
import { InputError, RuntimeUnavailableError } from "../errors/index.js";
import type { Device, DeviceCapabilities, DeviceProperties, EventOptions } from "./device.js";
import { allocNative, freeNative, isNativeAllocation, nativeMemoryStats, nativeView, TENSOR_ALIGNMENT } from "./native-memory.js";

function bytesOf(view: ArrayBufferView): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

export class HostDevice implements Device {
  readonly kind = "host" as const;
  readonly capabilities: DeviceCapabilities = { graphs: false, asynchronous: false };
  private nextHandle = 1;
  private readonly streams = new Set<number>();
  /** Event -> time of its last record (performance.now()), or NaN before the first. */
  private readonly events = new Map<number, number>();

  deviceCount(): number {
    return 1;
  }

  properties(ordinal = 0): DeviceProperties {
    this.checkOrdinal(ordinal);
    return { ordinal: 0, name: "host (no GPU)", major: 0, minor: 0, multiProcessorCount: 0, totalMemoryBytes: totalmem(), uuid: null };
  }

  setDevice(ordinal: number): void {
    this.checkOrdinal(ordinal);
  }

  getDevice(): number {
    return 0;
  }

  alloc(bytes: number, _stream = 0): number {
    return allocNative(bytes, TENSOR_ALIGNMENT);
  }

  free(address: number, _stream = 0): void {
    if (!freeNative(address)) this.unknownAddress(address, "free");
  }

  allocHost(bytes: number): number {
    return allocNative(bytes, TENSOR_ALIGNMENT);
  }

  freeHost(address: number): void {
    if (!freeNative(address)) this.unknownAddress(address, "freeHost");
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
    if (src.byteLength === 0) return;
    new Uint8Array(nativeView(dst, src.byteLength)).set(bytesOf(src));
  }

  copyDeviceToHostSync(dst: ArrayBufferView, src: number): void {
    if (dst.byteLength === 0) return;
    bytesOf(dst).set(new Uint8Array(nativeView(src, dst.byteLength)));
  }

  copyDeviceToDeviceSync(dst: number, src: number, bytes: number): void {
    if (bytes === 0 || dst === src) return;
    const from = new Uint8Array(nativeView(src, bytes));
    // Two views over overlapping memory are different ArrayBuffers to JS: copy through a temporary (memmove semantics).
    const overlap = dst < src + bytes && src < dst + bytes;
    new Uint8Array(nativeView(dst, bytes)).set(overlap ? from.slice() : from);
  }

  createStream(): number {
    const s = this.nextHandle++;
    this.streams.add(s);
    return s;
  }

  destroyStream(stream: number): void {
    this.streams.delete(stream);
  }

  synchronize(_stream: number): void {}

  synchronizeAsync(_stream: number): Promise<void> {
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

  private checkOrdinal(ordinal: number): void {
    if (ordinal !== 0) {
      throw new InputError({
        problem: "device",
        tensor: null,
        expected: "device 0 (the host device is the only one)",
        found: `device ${ordinal}`,
        fix: "Use device 0, or run on a machine with that many GPUs.",
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
