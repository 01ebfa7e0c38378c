/**
 * One device as the module layer uses it: a device-layer object plus the
 * ordinal to make current, the memory pool with its counters, and a pool of
 * streams. Streams are never destroyed: a released module gives its stream
 * back here, so a tensor that remembers the stream of its last use can always
 * free its memory in order on that stream, even after the module is gone.
 *
 * With several devices, every call that acts on "the current device" is
 * preceded by activate(), which switches by the runtime's own record of the
 * current device (current-device.ts); before each run, beginRun() also asks
 * the device layer when multi-device safe mode is on (safe-mode.ts); and
 * makeCurrent() always asks, for streams and engines, which stay bound to the
 * device they were made on.
 */
import { warnOnce } from "@trt/settings/advanced";
import type { DeviceLayer, DeviceKind, DeviceProperties } from "../device/index.js";
import type { DeserializeOptions } from "../engine/contract.js";
import { MemoryPool } from "../memory/pool.js";
import { allocatePinned, pinnedBytes } from "../memory/pinned-host.js";
import { currentDeviceRecord } from "./current-device.js";
import type { CurrentDeviceRecord } from "./current-device.js";
import { getMultiDeviceSafeMode } from "./safe-mode.js";

/** The warning multi-device safe mode gives (once per process) when it had to switch devices before a run. */
export const DEVICE_SWITCH_WARNING = "TRT_DEVICE_SWITCHED";

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
  private readonly current: CurrentDeviceRecord;

  constructor(
    readonly layer: DeviceLayer,
    ordinal: number,
  ) {
    this.kind = layer.kind;
    this.ordinal = ordinal;
    this.name = `${layer.kind}:${ordinal}`;
    // With one device it is always current: nothing to check or switch, ever.
    this.multiDevice = layer.deviceCount() > 1;
    this.current = currentDeviceRecord(layer);
    this.pool = new MemoryPool(layer, () => this.activate());
  }

  /** Name, compute capability and memory of this device (read once). */
  get properties(): DeviceProperties {
    this.props ??= this.layer.properties(this.ordinal);
    return this.props;
  }

  /**
   * Makes this device current for the calling thread before CUDA calls that
   * act on "the current device". Decides from the runtime's record of the
   * device it last made current, without asking CUDA, so it is exact unless
   * something outside this runtime changed the current device since (what
   * multi-device safe mode guards against; see beginRun).
   */
  activate(): void {
    if (this.multiDevice && this.current.ordinal !== this.ordinal) this.switchHere();
  }

  /**
   * Called right before a run enqueues work. With multi-device safe mode on,
   * asks the device layer which device is really current and switches to
   * this one if it differs; when the device found is not the one the runtime
   * last made current, something else changed it, and that warns once per
   * process. With safe mode off, the same as activate(). The device stays
   * current after the run.
   * @param engineName names the module in the warning.
   */
  beginRun(engineName: string): void {
    if (!this.multiDevice) return;
    if (!getMultiDeviceSafeMode()) {
      this.activate();
      return;
    }
    const actual = this.layer.getDevice();
    const known = this.current.ordinal;
    if (actual === this.ordinal) {
      this.current.ordinal = actual;
      return;
    }
    if (known !== actual && known !== -1) {
      warnOnce(
        DEVICE_SWITCH_WARNING,
        `Engine "${engineName}" runs on ${this.name}, but ${this.kind}:${actual} was current when it was run, not ${this.kind}:${known} as this runtime left it: something else changed the current device. Multi-device safe mode made ${this.name} current (it stays current). (Shown once per process.)`,
      );
    }
    this.switchHere();
  }

  /**
   * Makes this device current after asking the layer which one is (a CUDA
   * call), whatever the safe mode: for the rare calls whose result belongs to
   * the current device for good (creating a stream, deserializing an engine),
   * where a device changed behind the runtime's back would do lasting harm.
   */
  makeCurrent(): void {
    if (!this.multiDevice) return;
    if (this.layer.getDevice() !== this.ordinal) this.layer.setDevice(this.ordinal);
    this.current.ordinal = this.ordinal;
  }

  private switchHere(): void {
    this.layer.setDevice(this.ordinal);
    this.current.ordinal = this.ordinal;
  }

  /** What a backend needs to deserialize an engine for this device (the CUDA ordinal; nothing for the host stand-in). */
  get deserializeOptions(): DeserializeOptions {
    return this.kind === "cuda" ? { device: this.ordinal } : {};
  }

  /** A stream of this device: an idle one, or a new non-blocking one. */
  acquireStream(): number {
    const idle = this.idleStreams.pop();
    if (idle !== undefined) return idle;
    this.makeCurrent();
    return this.layer.createStream();
  }

  /** Gives a stream back for reuse (its queued work may still be running; users order after it). */
  releaseStream(stream: number): void {
    this.idleStreams.push(stream);
  }

  /** Resolves when `stream`'s work is done, without blocking the event loop. */
  synchronizeAsync(stream: number): Promise<void> {
    return this.multiDevice ? this.layer.synchronizeAsync(stream, () => this.activate()) : this.layer.synchronizeAsync(stream);
  }

  /** Blocks until `stream`'s work is done. */
  synchronize(stream: number): void {
    this.layer.synchronize(stream);
  }

  /**
   * `bytes` of page-locked (pinned) host memory, not zeroed, freed once the array and
   * every view of it are garbage. An input that lies in it goes to this device by DMA
   * after the run's call returns, so its copy costs the calling thread nothing (a
   * 602 KB input from ordinary memory took 0.14 ms of it on an H100). Until the run
   * settles, do not write to an input handed over this way. Pinned memory is
   * taken from the system's pageable memory: allocate it for buffers you reuse.
   * On the emulator's host device it is ordinary memory.
   */
  allocatePinned(bytes: number): Uint8Array {
    this.activate();
    return allocatePinned(this.layer, bytes);
  }

  /**
   * Page-locks memory you already have, so that inputs read from it reach this device by DMA
   * as from {@link allocatePinned}'s: a SharedArrayBuffer that worker threads fill, say, which
   * memory from allocatePinned cannot be (it cannot move between threads). Returns the
   * function that unpins it; call that once no run reads from the memory any more (never
   * while a copy from it may be pending), and before the memory is dropped. Throws where the
   * system refuses to lock more pages. On the emulator's host device there is nothing to pin.
   */
  pinHostMemory(memory: SharedArrayBuffer | ArrayBuffer): () => void {
    const layer = this.layer;
    if (!layer.registerHost || !layer.unregisterHost) return () => {};
    const view = new Uint8Array(memory);
    if (view.byteLength === 0) throw new RangeError("pinHostMemory: the memory is empty");
    this.activate();
    layer.registerHost(view);
    let pinned = true;
    return () => {
      if (!pinned) return;
      pinned = false;
      this.activate();
      layer.unregisterHost!(view);
    };
  }

  /** Bytes of pinned host memory from {@link allocatePinned} on this device's layer not yet freed. */
  get pinnedBytes(): number {
    return pinnedBytes(this.layer);
  }

  /** True when both name the same device (tensors from two modules on `cuda:0` can be handed over directly). */
  sameAs(other: ComputeDevice): boolean {
    return other === this || other.name === this.name;
  }

  toString(): string {
    return this.name;
  }
}
