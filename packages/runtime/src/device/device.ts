/**
 * The device layer: memory, copies, streams, events and CUDA graphs behind
 * one interface, so the runtime module is written once for CUDA and for the
 * host stand-in that runs the emulator on machines without a GPU.
 *
 * Addresses, streams, events and graphs are plain numbers (0 = null / the
 * default stream), as everywhere in this package.
 */

export type DeviceKind = "cuda" | "host";

export interface DeviceProperties {
  readonly ordinal: number;
  readonly name: string;
  /** Compute capability (SM version). */
  readonly major: number;
  readonly minor: number;
  readonly multiProcessorCount: number;
  readonly totalMemoryBytes: number;
  /** "GPU-xxxxxxxx-..." as nvidia-smi prints it, or null where there is none. */
  readonly uuid: string | null;
  /** PCI address as cudaDeviceGetPCIBusId writes it ("0000:41:00.0"); null or absent where there is none (the host stand-in). */
  readonly pciBusId?: string | null;
}

/** Free and total memory of one device. */
export interface DeviceMemoryInfo {
  readonly freeBytes: number;
  readonly totalBytes: number;
}

/** What a device can do beyond the common interface. */
export interface DeviceCapabilities {
  /** Stream capture and graph launch work (CUDA only). */
  readonly graphs: boolean;
  /** Work enqueued on a stream runs after the call returns (false: it ran during the call). */
  readonly asynchronous: boolean;
}

export interface EventOptions {
  /** Record timestamps for elapsedMs (default true); events without timing are cheaper to record and query. */
  readonly timing?: boolean;
}

/**
 * The device layer: every device of one kind (the CUDA GPUs, or the host
 * stand-in) and what runs on them (memory, streams, events, graphs). One
 * device of it is a ComputeDevice (placement/compute-device.ts).
 */
export interface DeviceLayer {
  readonly kind: DeviceKind;
  readonly capabilities: DeviceCapabilities;

  // Devices
  deviceCount(): number;
  properties(ordinal?: number): DeviceProperties;
  /** Makes `ordinal` the current device of the calling thread (cudaSetDevice). */
  setDevice(ordinal: number): void;
  getDevice(): number;
  /** Free and total memory of the current device (cudaMemGetInfo), where the layer can tell. */
  memoryInfo?(): DeviceMemoryInfo;

  // Memory
  /** Device memory from the stream-ordered pool (cudaMallocAsync): usable by work on `stream` at once, by other streams after synchronization. */
  alloc(bytes: number, stream?: number): number;
  /** Returns memory to the pool once the work queued on `stream` so far is done. */
  free(address: number, stream?: number): void;
  /** Page-locked host memory that device copies can run asynchronously from and to (cudaMallocHost). */
  allocHost(bytes: number): number;
  freeHost(address: number): void;
  /**
   * Page-locks memory the caller already has (cudaHostRegister), so copies from and to it run
   * by DMA; until {@link unregisterHost} with the same view. Absent where all host memory is
   * what the device reads (the emulator's host device): there is nothing to pin.
   */
  registerHost?(memory: Uint8Array): void;
  unregisterHost?(memory: Uint8Array): void;
  /** An ArrayBuffer over host-accessible memory (allocHost memory; any memory of the host device). */
  hostView(address: number, bytes: number): ArrayBuffer;
  /** Sets `bytes` bytes at `address` to `value` (asynchronous on `stream`). */
  memset(address: number, value: number, bytes: number, stream?: number): void;

  // Copies. The async forms are ordered on `stream`; from or into JS memory they follow CUDA's pageable-memory rules:
  // host->device returns once `src` has been staged (it may be reused at once), device->host returns once `dst` holds the data.
  copyHostToDevice(dst: number, src: ArrayBufferView, stream: number): void;
  copyDeviceToHost(dst: ArrayBufferView, src: number, stream: number): void;
  /** Between any two addresses the device can see (device, pinned host), ordered on `stream`. */
  copyDeviceToDevice(dst: number, src: number, bytes: number, stream: number): void;
  copyHostToDeviceSync(dst: number, src: ArrayBufferView): void;
  copyDeviceToHostSync(dst: ArrayBufferView, src: number): void;
  copyDeviceToDeviceSync(dst: number, src: number, bytes: number): void;

  // Streams
  /** A new non-blocking stream (does not synchronize with the legacy default stream). */
  createStream(): number;
  destroyStream(stream: number): void;
  /** Blocks the calling thread until the stream's work is done. */
  synchronize(stream: number): void;
  /**
   * Resolves when the stream's work is done, without blocking the event loop.
   * `activate`, when given, makes the stream's device current before the wait
   * records an event on the stream: the wait may start on a later tick, after
   * other work made another device current, and an event can only be
   * recorded on a stream of the device it was made on.
   */
  synchronizeAsync(stream: number, activate?: () => void): Promise<void>;
  /** True when all work queued on the stream is done. */
  queryStream(stream: number): boolean;

  // Events
  createEvent(options?: EventOptions): number;
  destroyEvent(event: number): void;
  recordEvent(event: number, stream: number): void;
  /** True when the work before the event's last record is done. */
  queryEvent(event: number): boolean;
  synchronizeEvent(event: number): void;
  /** Milliseconds between two recorded (and completed) timing events. */
  elapsedMs(start: number, end: number): number;

  // CUDA graphs
  beginCapture(stream: number): void;
  /** Ends the capture and returns the captured graph. */
  endCapture(stream: number): number;
  /** Instantiates a graph into an executable graph. */
  instantiateGraph(graph: number): number;
  launchGraph(graphExec: number, stream: number): void;
  destroyGraph(graph: number): void;
  destroyGraphExec(graphExec: number): void;
}

/**
 * The former name of {@link DeviceLayer} (it is the whole layer, not one device: that is ComputeDevice).
 * @deprecated Use DeviceLayer; this alias is removed in the next minor release.
 */
export type Device = DeviceLayer;
