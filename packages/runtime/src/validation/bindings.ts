/**
 * A module's bindings: the engine's I/O tensors in the order the module
 * exposes them (the tuple's binding names, or the engine's own order when
 * the tuple has none), each with its index in the engine's I/O list, which
 * is the order every ExecuteRequest array uses.
 */
import type { EngineInfo, IOTensorSpec } from "../engine/contract.js";
import { InputError } from "../errors/index.js";

/** One I/O tensor as the module exposes it. */
export interface BindingSpec extends IOTensorSpec {
  /** Index in the engine's I/O list (EngineInfo.io): the slot in ExecuteRequest.addresses. */
  readonly ioIndex: number;
  /** Position among the module's inputs (or outputs): the order of positional inputs and of result.list. */
  readonly position: number;
}

/** Inputs and outputs of a module, in binding order, and the maps the hot path uses. */
export class Bindings {
  readonly inputs: readonly BindingSpec[];
  readonly outputs: readonly BindingSpec[];
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** Number of engine I/O tensors (length of ExecuteRequest.addresses). */
  readonly ioCount: number;
  /** Inputs in engine I/O order (the order of ExecuteRequest.inputShapes). */
  readonly inputsInIoOrder: readonly BindingSpec[];
  readonly profileCount: number;
  private readonly byName: ReadonlyMap<string, BindingSpec>;

  private constructor(info: EngineInfo, inputNames: readonly string[], outputNames: readonly string[]) {
    const make = (name: string, position: number): BindingSpec => {
      const ioIndex = info.io.findIndex((t) => t.name === name);
      return Object.freeze({ ...info.io[ioIndex]!, ioIndex, position });
    };
    this.inputs = Object.freeze(inputNames.map(make));
    this.outputs = Object.freeze(outputNames.map(make));
    this.inputNames = Object.freeze([...inputNames]);
    this.outputNames = Object.freeze([...outputNames]);
    this.ioCount = info.io.length;
    this.inputsInIoOrder = Object.freeze([...this.inputs].sort((a, b) => a.ioIndex - b.ioIndex));
    this.profileCount = info.profileCount;
    this.byName = new Map([...this.inputs, ...this.outputs].map((b) => [b.name, b]));
  }

  /**
   * Bindings for `info`. Names left empty are derived from the engine (its
   * inputs, then outputs, in I/O order); names given must be exactly the
   * engine's inputs (resp. outputs), each once, in any order.
   */
  static resolve(info: EngineInfo, inputNames: readonly string[], outputNames: readonly string[]): Bindings {
    const engineInputs = info.io.filter((t) => t.mode === "input").map((t) => t.name);
    const engineOutputs = info.io.filter((t) => t.mode === "output").map((t) => t.name);
    const inputs = inputNames.length > 0 ? inputNames : engineInputs;
    const outputs = outputNames.length > 0 ? outputNames : engineOutputs;
    check("input", inputs, engineInputs);
    check("output", outputs, engineOutputs);
    return new Bindings(info, inputs, outputs);
  }

  /** The binding called `name`, or undefined. */
  get(name: string): BindingSpec | undefined {
    return this.byName.get(name);
  }
}

function check(kind: "input" | "output", given: readonly string[], engine: readonly string[]): void {
  const unknown = given.filter((n) => !engine.includes(n));
  const missing = engine.filter((n) => !given.includes(n));
  const repeated = given.filter((n, i) => given.indexOf(n) !== i);
  if (unknown.length === 0 && missing.length === 0 && repeated.length === 0) return;
  const found = [
    unknown.length ? `not in the engine: ${unknown.join(", ")}` : "",
    missing.length ? `missing: ${missing.join(", ")}` : "",
    repeated.length ? `repeated: ${repeated.join(", ")}` : "",
  ].filter(Boolean);
  throw new InputError({
    problem: "name",
    tensor: unknown[0] ?? missing[0] ?? repeated[0] ?? null,
    expected: `${kind} binding names that are exactly the engine's ${kind}s (${engine.join(", ")})`,
    found: `[${given.join(", ")}] (${found.join("; ")})`,
    fix: `Pass the engine's ${kind} names, or leave the list empty to take them from the engine.`,
  });
}
