/**
 * What a captured CUDA graph depends on. A graph replays the kernels that
 * one enqueueV3 launched, with that call's shapes and pointers baked in, so
 * it is only valid while everything TensorRT was given stays as it was: the
 * optimization profile, every input shape, and every tensor address. Those
 * three make the key; a run whose key differs needs a new capture.
 *
 * Two things are deliberately not in the key. The user's own input
 * addresses: inputs are copied into graph-owned buffers, so new input
 * tensors reuse the graph. The execution context: a graph never outlives the
 * context it was captured from (EngineInstance drops both together), and
 * scratch memory of user-managed contexts is chosen at capture time and
 * changes only with a re-capture.
 */

/** The profile, input shapes and tensor addresses of one capture. */
export class CaptureKey {
  private constructor(
    readonly profile: number,
    /** Packed as in ExecuteRequest.inputShapes. */
    private readonly shapes: Float64Array,
    /** Per I/O tensor in engine I/O order, as in ExecuteRequest.addresses. */
    private readonly addresses: Float64Array,
  ) {}

  /** A key holding copies of `shapes` and `addresses` (the caller reuses its arrays). */
  static of(profile: number, shapes: Float64Array, addresses: Float64Array): CaptureKey {
    return new CaptureKey(profile, shapes.slice(), addresses.slice());
  }

  /** Whether a run with these values can replay the graph captured under this key. */
  matches(profile: number, shapes: Float64Array, addresses: Float64Array): boolean {
    return this.difference(profile, shapes, addresses) === null;
  }

  /** The first part that differs, for the debug line that says why a graph was captured again; null when none does. */
  difference(profile: number, shapes: Float64Array, addresses: Float64Array): "profile" | "input shapes" | "tensor addresses" | null {
    if (profile !== this.profile) return "profile";
    if (!same(shapes, this.shapes)) return "input shapes";
    if (!same(addresses, this.addresses)) return "tensor addresses";
    return null;
  }
}

function same(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
