/**
 * What `run()` returns: the outputs by name and in binding order. Outputs
 * are tensors on the module's device; dispose the result (or each tensor)
 * to give their memory back, or let `using` do it. (With outputMemory
 * "reused" the memory stays the module's: disposing frees nothing, and the
 * tensors are valid until the next run on their lane.) A profiled run also
 * carries its profile (`profiling`).
 */
import { InputError } from "../errors/index.js";
import type { RunProfile } from "../profiling/run-profile.js";
import type { Tensor } from "../tensor/tensor.js";

/** Attaches a run's profile to its result (module internals: the profile is complete only after the result exists). */
export function attachProfiling(result: RunResult, profile: RunProfile): void {
  (result as unknown as { profile: RunProfile | null }).profile = profile;
}

/** The outputs of one run. */
export class RunResult implements Disposable, Iterable<Tensor> {
  /** Outputs in binding order. */
  readonly list: readonly Tensor[];
  /** Output names in binding order. */
  readonly names: readonly string[];
  private profile: RunProfile | null = null;
  private byName: Readonly<Record<string, Tensor>> | null = null;

  /**
   * @param names the module's output names (a frozen array is kept as it is, not copied)
   * @param tensors one per name; the result takes the array (frozen, not copied)
   */
  constructor(names: readonly string[], tensors: Tensor[]) {
    this.names = Object.isFrozen(names) ? names : Object.freeze([...names]);
    this.list = Object.freeze(tensors);
  }

  /** Outputs by name (made on first use: a run whose result is only disposed never builds it). */
  get outputs(): Readonly<Record<string, Tensor>> {
    if (this.byName === null) {
      const byName: Record<string, Tensor> = Object.create(null) as Record<string, Tensor>;
      this.names.forEach((n, i) => (byName[n] = this.list[i]!));
      this.byName = Object.freeze(byName);
    }
    return this.byName;
  }

  /**
   * The run's profile when it was made with `{ profiling: true }`: TensorRT's
   * time per layer, their sum, and the runtime's own phases (prepare, queue,
   * launch, wait, finish) in microseconds. Null for unprofiled runs.
   */
  get profiling(): RunProfile | null {
    return this.profile;
  }

  /** The output called `name`; InputError when there is none. */
  get(name: string): Tensor {
    const tensor = this.outputs[name];
    if (!tensor) {
      throw new InputError({
        problem: "name",
        tensor: name,
        expected: `one of the outputs: ${this.names.join(", ")}`,
        found: JSON.stringify(name),
        fix: "Use the engine's output names (module.outputNames).",
      });
    }
    return tensor;
  }

  /** Iterates the outputs in binding order (so `other.run([...result])` chains modules positionally). */
  [Symbol.iterator](): Iterator<Tensor> {
    return this.list[Symbol.iterator]();
  }

  /** Disposes every output. Idempotent. */
  dispose(): void {
    for (const t of this.list) t.dispose();
  }

  /** The same as dispose(): for `using`. */
  [Symbol.dispose](): void {
    this.dispose();
  }
}
