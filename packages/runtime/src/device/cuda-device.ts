/**
 * The CUDA device: libcudart through koffi. Memory comes from the
 * stream-ordered pool (cudaMallocAsync / cudaFreeAsync), so allocating per
 * inference costs a pool lookup, not a cudaMalloc.
 */
import { CudaError } from "../errors/index.js";
import type { DeviceLayer, DeviceCapabilities, DeviceMemoryInfo, DeviceProperties, EventOptions } from "./device.js";
import { loadCudaRuntime } from "./cuda-runtime.js";
import type { CudaLoadOptions, CudaRuntimeApi } from "./cuda-runtime.js";
import { nativeView } from "./native-memory.js";
import { releaseNotifier } from "./completion-waiter.js";
import { streamWaitFromEnv, waitForStream } from "./stream-wait.js";
import type { StreamWaitStrategy } from "./stream-wait.js";

/** cudaMemcpyKind values. */
const H2D = 1;
const D2H = 2;
/** cudaHostRegisterPortable: pinned for every device's context, not only the current one. */
const HOST_REGISTER_PORTABLE = 1;
const DEFAULT_KIND = 4; // cudaMemcpyDefault: direction from the addresses (unified addressing)
const STREAM_NON_BLOCKING = 1;
const EVENT_DISABLE_TIMING = 2;
const NOT_READY = 600; // cudaErrorNotReady
/** cudaDeviceAttr values (stable since CUDA 3). */
const ATTR_MULTIPROCESSOR_COUNT = 16;
const ATTR_CC_MAJOR = 75;
const ATTR_CC_MINOR = 76;
const ATTR_PCI_BUS_ID = 33;
const ATTR_PCI_DEVICE_ID = 34;
const ATTR_PCI_DOMAIN_ID = 50;
/** cudaStreamCaptureMode */
const CAPTURE_MODES = { global: 0, thread_local: 1, relaxed: 2 } as const;
export type CaptureMode = keyof typeof CAPTURE_MODES;

export interface CudaDeviceOptions extends CudaLoadOptions {
  /** How synchronizeAsync waits (see stream-wait.ts). Default: TRT_STREAM_WAIT, else "auto". */
  readonly streamWait?: StreamWaitStrategy;
}

export class CudaDevice implements DeviceLayer {
  readonly kind = "cuda" as const;
  readonly capabilities: DeviceCapabilities = { graphs: true, asynchronous: true };
  readonly api: CudaRuntimeApi;
  readonly streamWait: StreamWaitStrategy;
  // Reused out-parameters: calls are synchronous on the JS thread, so one of each is enough.
  private readonly u64 = new BigUint64Array(2);
  private readonly i32 = new Int32Array(1);
  private readonly f32 = new Float32Array(1);

  constructor(options: CudaDeviceOptions = {}) {
    this.api = loadCudaRuntime(options);
    this.streamWait = options.streamWait ?? streamWaitFromEnv(options.env ?? process.env) ?? "auto";
  }

  /** Throws CudaError for a non-zero cudaError_t. */
  check(fn: string, status: number): void {
    if (status !== 0) throw this.error(fn, status);
  }

  error(fn: string, status: number): CudaError {
    return new CudaError(
      fn,
      status,
      this.api.cudaGetErrorName(status) ?? `cudaError ${status}`,
      this.api.cudaGetErrorString(status) ?? "unknown error",
    );
  }

  /** CUDA runtime and driver versions, e.g. 13000 for 13.0. */
  versions(): { runtime: number; driver: number } {
    this.check("cudaRuntimeGetVersion", this.api.cudaRuntimeGetVersion(this.i32));
    const runtime = this.i32[0]!;
    this.check("cudaDriverGetVersion", this.api.cudaDriverGetVersion(this.i32));
    return { runtime, driver: this.i32[0]! };
  }

  deviceCount(): number {
    const status = this.api.cudaGetDeviceCount(this.i32);
    // No driver or no device: report zero devices rather than failing, so selection can fall back.
    return status === 0 ? this.i32[0]! : 0;
  }

  properties(ordinal = this.getDevice()): DeviceProperties {
    const attr = (a: number, name: string) => {
      this.check(`cudaDeviceGetAttribute(${name})`, this.api.cudaDeviceGetAttribute(this.i32, a, ordinal));
      return this.i32[0]!;
    };
    const major = attr(ATTR_CC_MAJOR, "ComputeCapabilityMajor");
    const minor = attr(ATTR_CC_MINOR, "ComputeCapabilityMinor");
    const multiProcessorCount = attr(ATTR_MULTIPROCESSOR_COUNT, "MultiProcessorCount");
    // The three PCI attributes give the address cudaDeviceGetPCIBusId prints ("domain:bus:device.function", function 0).
    const hex = (value: number, width: number) => value.toString(16).padStart(width, "0");
    const pciBusId = `${hex(attr(ATTR_PCI_DOMAIN_ID, "PciDomainId"), 4)}:${hex(attr(ATTR_PCI_BUS_ID, "PciBusId"), 2)}:${hex(attr(ATTR_PCI_DEVICE_ID, "PciDeviceId"), 2)}.0`;
    // cudaDeviceProp grows between CUDA releases, but its first fields have kept their places since CUDA 10:
    // char name[256] at 0, cudaUUID_t uuid (16 bytes) at 256, luid[8] at 272, luidDeviceNodeMask at 280,
    // size_t totalGlobalMem at 288. The buffer is far larger than any release's struct.
    const props = new Uint8Array(8192);
    this.check("cudaGetDeviceProperties", this.api.cudaGetDeviceProperties(props, ordinal));
    const end = props.indexOf(0);
    const name = new TextDecoder().decode(props.subarray(0, end < 0 || end > 256 ? 256 : end));
    const totalMemoryBytes = Number(new DataView(props.buffer).getBigUint64(288, true));
    return { ordinal, name, major, minor, multiProcessorCount, totalMemoryBytes, uuid: formatUuid(props.subarray(256, 272)), pciBusId };
  }

  /** Free and total memory of the current device (cudaMemGetInfo). */
  memoryInfo(): DeviceMemoryInfo {
    const free = new BigUint64Array(1);
    const total = new BigUint64Array(1);
    this.check("cudaMemGetInfo", this.api.cudaMemGetInfo(free, total));
    return { freeBytes: Number(free[0]), totalBytes: Number(total[0]) };
  }

  setDevice(ordinal: number): void {
    this.check("cudaSetDevice", this.api.cudaSetDevice(ordinal));
  }

  getDevice(): number {
    this.check("cudaGetDevice", this.api.cudaGetDevice(this.i32));
    return this.i32[0]!;
  }

  alloc(bytes: number, stream = 0): number {
    this.check("cudaMallocAsync", this.api.cudaMallocAsync(this.u64, bytes, stream));
    return Number(this.u64[0]);
  }

  free(address: number, stream = 0): void {
    if (address === 0) return;
    this.check("cudaFreeAsync", this.api.cudaFreeAsync(address, stream));
  }

  allocHost(bytes: number): number {
    this.check("cudaMallocHost", this.api.cudaMallocHost(this.u64, bytes));
    return Number(this.u64[0]);
  }

  freeHost(address: number): void {
    if (address === 0) return;
    this.check("cudaFreeHost", this.api.cudaFreeHost(address));
  }

  hostView(address: number, bytes: number): ArrayBuffer {
    return nativeView(address, bytes);
  }

  registerHost(memory: Uint8Array): void {
    this.check("cudaHostRegister", this.api.cudaHostRegister(memory, memory.byteLength, HOST_REGISTER_PORTABLE));
  }

  unregisterHost(memory: Uint8Array): void {
    this.check("cudaHostUnregister", this.api.cudaHostUnregister(memory));
  }

  memset(address: number, value: number, bytes: number, stream = 0): void {
    this.check("cudaMemsetAsync", this.api.cudaMemsetAsync(address, value, bytes, stream));
  }

  copyHostToDevice(dst: number, src: ArrayBufferView, stream: number): void {
    this.check("cudaMemcpyAsync(HostToDevice)", this.api.cudaMemcpyAsyncFromJs(dst, src, src.byteLength, H2D, stream));
  }

  copyDeviceToHost(dst: ArrayBufferView, src: number, stream: number): void {
    this.check("cudaMemcpyAsync(DeviceToHost)", this.api.cudaMemcpyAsyncToJs(dst, src, dst.byteLength, D2H, stream));
  }

  copyDeviceToDevice(dst: number, src: number, bytes: number, stream: number): void {
    this.check("cudaMemcpyAsync", this.api.cudaMemcpyAsync(dst, src, bytes, DEFAULT_KIND, stream));
  }

  copyHostToDeviceSync(dst: number, src: ArrayBufferView): void {
    this.check("cudaMemcpy(HostToDevice)", this.api.cudaMemcpyFromJs(dst, src, src.byteLength, H2D));
    // From pageable memory, cudaMemcpy returns once the data is staged, before
    // the DMA lands. Work on the legacy stream is ordered after it, but work on
    // a non-blocking stream (every module's) is not: wait for the legacy
    // stream so "done when this returns" holds for every stream.
    this.check("cudaStreamSynchronize", this.api.cudaStreamSynchronize(0));
  }

  copyDeviceToHostSync(dst: ArrayBufferView, src: number): void {
    this.check("cudaMemcpy(DeviceToHost)", this.api.cudaMemcpyToJs(dst, src, dst.byteLength, D2H));
  }

  copyDeviceToDeviceSync(dst: number, src: number, bytes: number): void {
    this.check("cudaMemcpy", this.api.cudaMemcpy(dst, src, bytes, DEFAULT_KIND));
  }

  createStream(): number {
    this.check("cudaStreamCreateWithFlags", this.api.cudaStreamCreateWithFlags(this.u64, STREAM_NON_BLOCKING));
    return Number(this.u64[0]);
  }

  destroyStream(stream: number): void {
    if (stream === 0) return;
    releaseNotifier(this, stream);
    this.check("cudaStreamDestroy", this.api.cudaStreamDestroy(stream));
  }

  synchronize(stream: number): void {
    this.check("cudaStreamSynchronize", this.api.cudaStreamSynchronize(stream));
  }

  synchronizeAsync(stream: number, activate?: () => void): Promise<void> {
    return waitForStream(this, stream, this.streamWait, activate);
  }

  queryStream(stream: number): boolean {
    const status = this.api.cudaStreamQuery(stream);
    if (status === NOT_READY) return false;
    this.check("cudaStreamQuery", status);
    return true;
  }

  createEvent(options: EventOptions = {}): number {
    const flags = options.timing === false ? EVENT_DISABLE_TIMING : 0;
    this.check("cudaEventCreateWithFlags", this.api.cudaEventCreateWithFlags(this.u64, flags));
    return Number(this.u64[0]);
  }

  destroyEvent(event: number): void {
    this.check("cudaEventDestroy", this.api.cudaEventDestroy(event));
  }

  recordEvent(event: number, stream: number): void {
    this.check("cudaEventRecord", this.api.cudaEventRecord(event, stream));
  }

  queryEvent(event: number): boolean {
    const status = this.api.cudaEventQuery(event);
    if (status === NOT_READY) return false;
    this.check("cudaEventQuery", status);
    return true;
  }

  synchronizeEvent(event: number): void {
    this.check("cudaEventSynchronize", this.api.cudaEventSynchronize(event));
  }

  elapsedMs(start: number, end: number): number {
    this.check("cudaEventElapsedTime", this.api.cudaEventElapsedTime(this.f32, start, end));
    return this.f32[0]!;
  }

  beginCapture(stream: number, mode: CaptureMode = "thread_local"): void {
    this.check("cudaStreamBeginCapture", this.api.cudaStreamBeginCapture(stream, CAPTURE_MODES[mode]));
  }

  endCapture(stream: number): number {
    this.check("cudaStreamEndCapture", this.api.cudaStreamEndCapture(stream, this.u64));
    return Number(this.u64[0]);
  }

  instantiateGraph(graph: number): number {
    this.check("cudaGraphInstantiate", this.api.cudaGraphInstantiate(this.u64, graph, 0));
    return Number(this.u64[0]);
  }

  launchGraph(graphExec: number, stream: number): void {
    this.check("cudaGraphLaunch", this.api.cudaGraphLaunch(graphExec, stream));
  }

  destroyGraph(graph: number): void {
    this.check("cudaGraphDestroy", this.api.cudaGraphDestroy(graph));
  }

  destroyGraphExec(graphExec: number): void {
    this.check("cudaGraphExecDestroy", this.api.cudaGraphExecDestroy(graphExec));
  }
}

function formatUuid(bytes: Uint8Array): string | null {
  if (bytes.every((b) => b === 0)) return null;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `GPU-${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
