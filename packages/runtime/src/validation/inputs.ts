/**
 * Turning what `run()` receives into one value per input, in binding order:
 * named (`{ x: tensor }`) or positional (`[tensor]`). Wrong names and wrong
 * counts stop here, before anything touches the engine.
 */
import { InputError } from "../errors/index.js";
import type { Bindings } from "./bindings.js";
import type { HostArray } from "../tensor/host-array.js";
import type { Tensor } from "../tensor/tensor.js";

/** Host data with its shape (the data type is the input's). */
export interface HostInput {
  readonly data: HostArray;
  readonly shape: readonly number[];
}

/**
 * Host data in parts, with the shape of the whole: the input's elements are
 * the parts' elements one after another. Each part is copied to its place on
 * the device from where it lies, so rows gathered from several callers (a
 * server's batch) need no joined copy on the host; from pinned memory
 * (`module.device.allocatePinned`) each copy is DMA, off the calling thread.
 */
export interface HostParts {
  readonly parts: readonly HostArray[];
  readonly shape: readonly number[];
}

/**
 * One input: a Tensor (on the module's device: used in place; in JS memory:
 * copied), host data with a shape, host data in parts with the shape of the
 * whole, or a bare typed array for an input whose shape is static.
 */
export type InputValue = Tensor | HostInput | HostParts | HostArray;

/** Inputs by name, or positionally in binding order. */
export type RunInputs = Readonly<Record<string, InputValue>> | readonly InputValue[];

/** The inputs in binding order; InputError (name or count) when they do not match the bindings. */
export function collectInputs(bindings: Bindings, inputs: RunInputs): InputValue[] {
  const names = bindings.inputNames;
  if (Array.isArray(inputs)) {
    if (inputs.length !== names.length) {
      throw new InputError({
        problem: "count",
        tensor: null,
        expected: `${names.length} input${names.length === 1 ? "" : "s"} (${names.join(", ")}, in this order)`,
        found: `${inputs.length}`,
        fix: "Pass one value per input, in binding order, or pass them by name.",
      });
    }
    return inputs as InputValue[];
  }
  if (typeof inputs !== "object" || inputs === null || ArrayBuffer.isView(inputs)) {
    throw new InputError({
      problem: "count",
      tensor: null,
      expected: `inputs by name ({ ${names.join(", ")} }) or in an array`,
      found: inputs === null ? "null" : ArrayBuffer.isView(inputs) ? `a bare ${inputs.constructor.name}` : typeof inputs,
      fix: `Wrap the values: run({ ${names[0] ?? "x"}: value }) or run([value]).`,
    });
  }
  const record = inputs as Readonly<Record<string, InputValue>>;
  for (const key of Object.keys(record)) {
    if (!names.includes(key)) {
      const spec = bindings.get(key);
      throw new InputError({
        problem: "name",
        tensor: key,
        expected: `one of the inputs: ${names.join(", ")}`,
        found: spec ? `"${key}", which is an output` : `"${key}"`,
        fix: "Use the engine's input names (module.inputNames).",
      });
    }
  }
  const missing = names.filter((n) => record[n] === undefined);
  if (missing.length > 0) {
    throw new InputError({
      problem: "count",
      tensor: missing[0]!,
      expected: `a value for every input (${names.join(", ")})`,
      found: `none for ${missing.join(", ")}`,
      fix: "Pass every input.",
    });
  }
  return names.map((n) => record[n]!);
}
