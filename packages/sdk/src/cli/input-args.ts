/**
 * `--input name=file.npy` and `--shape name=2x8`: collecting repeated
 * options, and matching them against a module's inputs so that a misspelt or
 * missing name is reported with the names and shapes the engine has.
 */
import type { BindingSpec, HostInput, TensorRTModule } from "@trt/runtime";
import { readNpyFile } from "../npy/index.js";
import { CliError } from "./errors.js";
import { npyToInput } from "./npy-tensors.js";

/** commander's reducer for a repeatable option: keeps every value in order. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** One input as the engine describes it, for messages: `x float [-1, 8]`. */
export function describeBinding(spec: BindingSpec): string {
  return `${spec.name} ${spec.dtype} [${spec.shape.join(", ")}]`;
}

/**
 * `name=value` pairs keyed by input name. A bare value is allowed when the
 * module has exactly one input. Unknown and repeated names are CliErrors.
 */
export function pairsByInput(module: TensorRTModule, args: readonly string[], option: string): Map<string, string> {
  const names = module.inputNames;
  const out = new Map<string, string>();
  for (const arg of args) {
    const at = arg.indexOf("=");
    let name: string;
    let value: string;
    if (at > 0) {
      name = arg.slice(0, at);
      value = arg.slice(at + 1);
    } else if (names.length === 1) {
      name = names[0]!;
      value = arg;
    } else {
      throw new CliError("BAD_ARGUMENT", `${option} ${JSON.stringify(arg)}: expected NAME=VALUE, the engine has ${names.length} inputs (${names.join(", ")})`);
    }
    if (!names.includes(name)) {
      throw new CliError("UNKNOWN_INPUT", `${option} ${name}=...: the engine has no input "${name}"; its inputs are ${module.inputs.map(describeBinding).join(", ")}`);
    }
    if (out.has(name)) throw new CliError("BAD_ARGUMENT", `${option} ${name}=... is given twice`);
    out.set(name, value);
  }
  return out;
}

/** Every input read from its .npy file; MISSING_INPUT names the ones without a file. */
export async function readInputFiles(module: TensorRTModule, args: readonly string[]): Promise<Record<string, HostInput>> {
  const files = pairsByInput(module, args, "--input");
  const missing = module.inputs.filter((spec) => !files.has(spec.name));
  if (missing.length > 0) {
    throw new CliError(
      "MISSING_INPUT",
      `no data for ${missing.map(describeBinding).join(", ")}; pass ${missing.map((s) => `--input ${s.name}=FILE.npy`).join(" ")}`,
    );
  }
  const inputs: Record<string, HostInput> = {};
  for (const spec of module.inputs) {
    const file = files.get(spec.name)!;
    inputs[spec.name] = npyToInput(await readNpyFile(file), spec, file);
  }
  return inputs;
}

/** Parses `2x8` (or `2,8`) into dims; CliError otherwise. */
export function parseDims(text: string, option: string): number[] {
  const dims = text.split(/[x,]/).map((d) => Number(d));
  if (text === "" || dims.some((d) => !Number.isSafeInteger(d) || d < 0)) {
    throw new CliError("BAD_ARGUMENT", `${option} ${JSON.stringify(text)}: expected dims like 2x8 (non-negative integers separated by x)`);
  }
  return dims;
}
