/**
 * One device as the module layer uses it: a device-layer object plus the
 * ordinal to make current, the memory pool with its counters, and a pool of
 * streams. Streams are never destroyed: a released module gives its stream
 * back here, so a tensor that remembers the stream of its last use can always
 * free its memory in order on that stream, even after the module is gone.
 */
import type { Device, DeviceKind, DeviceProperties } from "../device/index.js";
import { MemoryPool } from "../memory/pool.js";

/** A GPU (`cuda:N`) or the emulator's stand-in for one (`host:0`), with its pool and streams. */
export class ComputeDevice {
  /** "cuda:0", "cuda:1", ... or "host:0" (the emulator's host stand-in for a GPU). */
  readonly name: string;
  readonly kind: DeviceKind;
  readonly ordinal: number;
  /** Every allocation and copy on this device, counted. */
  readonly pool: MemoryPool;
  private props: DeviceProperties | null = null;
  private readonly idleStreams: number[] = [];
  private readonly multiDevice: boolean;

  constructor(
    readonly layer: Device,
    ordinal: number,
  ) {
    this.kind = layer.kind;
    this.ordinal = ordinal;
    this.name = `${layer.kind}:${ordinal}`;
    // With one device it is always current: skip cudaGetDevice on every call.
    this.multiDevice = layer.kind === "cuda" && layer.deviceCount() > 1;
    this.pool = new MemoryPool(layer, () => this.activate());
  }

  /** Name, compute capability and memory of this device (read once). */
  get properties(): DeviceProperties {
    this.props ??= this.layer.properties(this.ordinal);
    return this.props;
  }

  /** Makes this device current for the calling thread before CUDA calls that act on "the current device". */
  activate(): void {
    if (this.multiDevice && this.layer.getDevice() !== this.ordinal) this.layer.setDevice(this.ordinal);
  }

  /** A stream of this device: an idle one, or a new non-blocking one. */
  acquireStream(): number {
    const idle = this.idleStreams.pop();
    if (idle !== undefined) return idle;
    this.activate();
    return this.layer.createStream();
  }

  /** Gives a stream back for reuse (its queued work may still be running; users order after it). */
  releaseStream(stream: number): void {
    this.idleStreams.push(stream);
  }

  /** Resolves when `stream`'s work is done, without blocking the event loop. */
  synchronizeAsync(stream: number): Promise<void> {
    return this.layer.synchronizeAsync(stream);
  }

  /** Blocks until `stream`'s work is done. */
  synchronize(stream: number): void {
    this.layer.synchronize(stream);
  }

  /** True when both name the same device (tensors from two modules on `cuda:0` can be handed over directly). */
  sameAs(other: ComputeDevice): boolean {
    return other === this || other.name === this.name;
  }

  toString(): string {
    return this.name;
  }
}
