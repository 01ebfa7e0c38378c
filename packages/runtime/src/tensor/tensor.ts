/**
 * Tensor: a data type, a shape, and storage that is either JS memory ("cpu")
 * or memory of a device (a GPU, or the emulator's host stand-in for one).
 *
 * - Device memory comes from the device's stream-ordered pool and goes back
 *   on `dispose()`, at the end of a `using` block, or, as a safety net, when
 *   the tensor is garbage-collected undisposed (never twice).
 * - A device tensor handed to a module on the same device is used in place:
 *   its address goes straight into the engine, with no host round trip.
 * - half and bf16 read as Float32Array (converted, round to nearest even on
 *   the way in) or, with `{ raw: true }`, as the Uint16Array bit patterns.
 *   fp8, e8m0 and the packed 4-bit types read and write as their bytes.
 */
import { ReleasedError, InputError } from "../errors/index.js";
import type { ComputeDevice } from "../placement/compute-device.js";
import type { DeviceSpec } from "../placement/device-spec.js";
import { checkShape, formatShape } from "./shape.js";
import { resolveTensorDevice } from "./device-target.js";
import { byteLengthOf, elementCount, isPacked, parseDataType, storedLength } from "./dtype.js";
import type { DataType, DataTypeName } from "./dtype.js";
import {
  acceptedArrays,
  allocateStored,
  defaultDataType,
  elementsIn,
  fromStored,
  hostArrayName,
  toStored,
} from "./host-array.js";
import type { HostArray, HostArrayOf, RawArrayOf } from "./host-array.js";
import { DeviceStorage, unwatch, watch } from "./storage.js";
import type { Lease } from "./storage.js";

/** Options of {@link Tensor.fromArray}. */
export interface TensorOptions {
  /** The element type; default from the array (Float32Array: float, Int32Array: int32, ...). Required for Uint16Array. */
  readonly dtype?: DataTypeName;
  /** Where the tensor lives: "cpu" (default: the array itself, no copy), or a device, copied there now. */
  readonly device?: DeviceSpec;
}

/** Options of {@link Tensor.fromAddress}. */
export interface AddressOptions {
  readonly dtype: DataTypeName;
  readonly shape: readonly number[];
  /** The device the memory belongs to. */
  readonly device: ComputeDevice;
}

/** Options of the readers. */
export interface ReadOptions {
  /** half and bf16: the stored Uint16Array bit patterns instead of a converted Float32Array. */
  readonly raw?: boolean;
}

/** A typed, shaped block of data in JS memory or on a device. */
export class Tensor<D extends DataType = DataType> implements Disposable {
  readonly dtype: D;
  readonly shape: readonly number[];
  /** Number of elements. */
  readonly size: number;
  /** Bytes of storage. */
  readonly byteLength: number;
  private readonly host: HostArray | null;
  private readonly lease: Lease | null;
  private disposedFlag = false;

  private constructor(dtype: D, shape: readonly number[], host: HostArray | null, lease: Lease | null) {
    this.dtype = dtype;
    // A frozen shape (the output plans' are) cannot change under us: no copy needed.
    this.shape = Object.isFrozen(shape) ? shape : Object.freeze([...shape]);
    this.size = elementCount(shape);
    this.byteLength = byteLengthOf(dtype, this.size);
    this.host = host;
    this.lease = lease;
    // Only memory this runtime owns needs freeing if the tensor is collected undisposed;
    // a finalizer registration per borrowed or module-owned buffer would only cost time.
    this.watched = lease !== null && lease.storage.owned;
    if (this.watched) watch(this, lease!);
  }

  /** Whether a finalizer frees this tensor's memory if it is collected undisposed. */
  private readonly watched: boolean;

  /**
   * A tensor over `data`. Without a device it stays in JS memory and views
   * `data` (no copy; half/bf16 from a Float32Array are converted into a new
   * array). With a device, the data is copied there before this returns.
   * `shape` defaults to 1-D. InputError when the array, dtype and shape disagree.
   */
  static fromArray(data: HostArray, shape?: readonly number[], options: TensorOptions = {}): Tensor {
    const name = hostArrayName(data);
    const dtype = options.dtype !== undefined ? parseDataType(options.dtype) : name ? defaultDataType(data) : null;
    if (dtype === null) {
      throw new InputError({
        problem: "dtype",
        tensor: null,
        expected: options.dtype !== undefined ? "a data type name (float, half, bf16, int8, uint8, bool, int32, int64, fp8, e8m0, int4, fp4)" : "a typed array whose data type is clear",
        found: options.dtype !== undefined ? JSON.stringify(options.dtype) : name ?? describe(data),
        fix: options.dtype !== undefined ? "Use one of the listed names." : 'Pass { dtype } (a Uint16Array holds "half" or "bf16" bits).',
      });
    }
    if (!name || !acceptedArrays(dtype).includes(name)) {
      throw new InputError({
        problem: "dtype",
        tensor: null,
        expected: `${acceptedArrays(dtype).join(" or ")} for ${dtype}`,
        found: name ?? describe(data),
        fix: `Convert the data first, e.g. ${acceptedArrays(dtype)[0]}.from(values).`,
      });
    }
    const dims = shape === undefined ? [elementsIn(data, dtype)] : checkShape(shape, null);
    checkLength(data, dtype, dims, null);
    const stored = toStored(data, dtype);
    const device = options.device === undefined ? null : resolveTensorDevice(options.device);
    if (device === null) return new Tensor(dtype, dims, stored, null);
    const bytes = byteLengthOf(dtype, elementCount(dims));
    const address = device.pool.alloc(bytes);
    try {
      // Synchronous: the tensor is ready for any stream once this returns.
      device.pool.copyInSync(address, stored);
    } catch (error) {
      device.pool.free(address);
      throw error;
    }
    return new Tensor(dtype, dims, null, new DeviceStorage(device, address, bytes, true, 0).lease());
  }

  /**
   * A tensor over device memory the caller owns (borrowed: never freed here).
   * The caller keeps the memory valid while the tensor is in use.
   */
  static fromAddress(address: number, options: AddressOptions): Tensor {
    const dtype = parseDataType(options.dtype);
    if (dtype === null) {
      throw new InputError({ problem: "dtype", tensor: null, expected: "a data type name", found: JSON.stringify(options.dtype), fix: "Use float, half, int32, ..." });
    }
    const dims = checkShape(options.shape, null);
    const bytes = byteLengthOf(dtype, elementCount(dims));
    return new Tensor(dtype, dims, null, new DeviceStorage(options.device, address, bytes, false, 0).lease());
  }

  /**
   * A tensor on a lease of device storage (the module's outputs). Not for users: the storage must fit dtype and shape.
   * @internal Left out of the published declarations (stripInternal).
   */
  static fromStorage<D extends DataType>(storage: DeviceStorage, dtype: D, shape: readonly number[]): Tensor<D> {
    return new Tensor(dtype, shape, null, storage.lease());
  }

  /**
   * A tensor in JS memory over an array already in the stored layout (module internals).
   * @internal Left out of the published declarations (stripInternal).
   */
  static fromStored<D extends DataType>(stored: HostArray, dtype: D, shape: readonly number[]): Tensor<D> {
    return new Tensor(dtype, shape, stored, null);
  }

  /** "cpu" for JS memory, else the device's name ("cuda:0", "host:0"). */
  get device(): string {
    return this.lease ? this.lease.storage.device.name : "cpu";
  }

  /** Where the bytes are: JS memory or device memory. */
  get storage(): "cpu" | "device" {
    return this.lease ? "device" : "cpu";
  }

  /** The device holding the data, or null for JS memory. */
  get computeDevice(): ComputeDevice | null {
    return this.lease ? this.lease.storage.device : null;
  }

  /** The device address of the data (0 for JS memory). */
  get address(): number {
    return this.lease ? this.lease.storage.address : 0;
  }

  /** Whether dispose() was called. */
  get disposed(): boolean {
    return this.disposedFlag;
  }

  /** Narrows the type when the data type is `dtype`. */
  is<K extends DataType>(dtype: K): this is Tensor<K> {
    return (this.dtype as DataType) === dtype;
  }

  /**
   * This tensor typed as `dtype`, so readers return that type's array
   * (`result.outputs.y.as("float").toArray()` is a Float32Array). Checked:
   * InputError (problem "dtype") when the tensor holds another type.
   */
  as<K extends DataType>(dtype: K): Tensor<K> {
    if (!this.is(dtype)) {
      throw new InputError({
        problem: "dtype",
        tensor: null,
        expected: dtype,
        found: this.dtype,
        fix: `Read it as ${this.dtype}, or convert it with a cast layer in the engine.`,
      });
    }
    return this;
  }

  /**
   * The device storage (module internals); null for JS memory.
   * @internal Left out of the published declarations (stripInternal).
   */
  get deviceStorage(): DeviceStorage | null {
    this.live("use the tensor");
    return this.lease ? this.lease.storage : null;
  }

  /**
   * The data in its stored layout when in JS memory (module internals); null on a device.
   * @internal Left out of the published declarations (stripInternal).
   */
  get hostData(): HostArray | null {
    this.live("use the tensor");
    return this.host;
  }

  /** The data as a new JS array, once the work that produces it is done (without blocking the event loop). */
  toArray(options: ReadOptions & { raw: true }): Promise<RawArrayOf<D>>;
  toArray(options?: ReadOptions): Promise<HostArrayOf<D>>;
  async toArray(options: ReadOptions = {}): Promise<HostArray> {
    this.live("read the tensor");
    if (this.lease) await this.lease.storage.device.synchronizeAsync(this.lease.storage.stream);
    return this.toArraySync(options);
  }

  /** The data as a new JS array; blocks until the work that produces it is done. */
  toArraySync(options: ReadOptions & { raw: true }): RawArrayOf<D>;
  toArraySync(options?: ReadOptions): HostArrayOf<D>;
  toArraySync(options: ReadOptions = {}): HostArray {
    return fromStored(this.readStored(), this.dtype, options.raw === true);
  }

  /**
   * A copy on `device` ("cpu" for JS memory). On the device this tensor is
   * already on, the new tensor shares the memory (no copy; each is disposed
   * on its own, the memory goes when both are), except for a module's reused
   * outputs (`outputMemory: "reused"`), which are copied into memory of the
   * copy's own, so it outlives the module's next run.
   */
  async copyTo(device: DeviceSpec): Promise<Tensor<D>> {
    this.live("copy the tensor");
    if (this.lease) await this.lease.storage.device.synchronizeAsync(this.lease.storage.stream);
    const copy = this.copyToSync(device);
    const target = copy.lease?.storage;
    if (target) await target.device.synchronizeAsync(target.stream);
    return copy;
  }

  /** {@link copyTo}, blocking until the copy is done. */
  copyToSync(device: DeviceSpec): Tensor<D> {
    this.live("copy the tensor");
    const target = resolveTensorDevice(device);
    if (target === null) return new Tensor(this.dtype, this.shape, this.readStored(), null);
    const source = this.lease?.storage;
    // Reused (module-owned) memory is overwritten by the module's next run, so a copy must really copy.
    if (source && source.guard === null && source.device.sameAs(target)) return new Tensor(this.dtype, this.shape, null, source.lease());
    const address = target.pool.alloc(this.byteLength);
    try {
      if (source) {
        source.device.synchronize(source.stream);
        target.pool.copyWithinSync(address, source.address, this.byteLength);
      } else {
        target.pool.copyInSync(address, this.host!);
      }
    } catch (error) {
      target.pool.free(address);
      throw error;
    }
    return new Tensor(this.dtype, this.shape, null, new DeviceStorage(target, address, this.byteLength, true, 0).lease());
  }

  /** Gives device memory back (after the work queued on it). Idempotent; the tensor is unusable afterwards. */
  dispose(): void {
    if (this.disposedFlag) return;
    this.disposedFlag = true;
    if (this.lease) {
      if (this.watched) unwatch(this.lease);
      this.lease.release();
    }
  }

  /** The same as dispose(): for `using`. */
  [Symbol.dispose](): void {
    this.dispose();
  }

  toString(): string {
    return `Tensor(${this.dtype}, ${formatShape(this.shape)}, ${this.device}${this.disposedFlag ? ", disposed" : ""})`;
  }

  private readStored(): HostArray {
    this.live("read the tensor");
    if (!this.lease) return this.host!.slice();
    const storage = this.lease.storage;
    const out = allocateStored(this.dtype, this.size);
    storage.device.synchronize(storage.stream);
    if (out.byteLength > 0) storage.device.pool.copyOutSync(out, storage.address);
    return out;
  }

  private live(operation: string): void {
    if (this.disposedFlag) throw new ReleasedError("tensor", operation);
    this.lease?.storage.guard?.check(operation);
  }
}

/** Throws InputError (problem "size") unless `data` holds exactly the elements of `shape`. */
export function checkLength(data: HostArray, dtype: DataType, shape: readonly number[], tensor: string | null): void {
  const count = elementCount(shape);
  const packed = isPacked(dtype);
  const expected = storedLength(dtype, count);
  if (data.length !== expected) {
    throw new InputError({
      problem: "size",
      tensor,
      expected: packed
        ? `${expected} bytes (${count} packed ${dtype} values for shape ${formatShape(shape)})`
        : `${expected} elements (shape ${formatShape(shape)})`,
      found: `${data.length}`,
      fix: "Make the data length match the shape, or fix the shape.",
    });
  }
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value !== "object") return typeof value;
  return (value as object).constructor?.name ?? "an object";
}
