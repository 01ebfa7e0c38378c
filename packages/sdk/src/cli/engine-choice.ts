// The options every command that opens an engine file shares: which engine of a
// torch archive (`--engine`), and the binding order to use instead of the file's
// (a raw plan has none; `--input-order`/`--output-order`).
import type { Command } from "commander";

/** What the shared options parse to; spread into `TensorRTModule.load`'s options. */
export interface EngineChoice {
  engine?: string | number;
  inputBindingNames?: string[];
  outputBindingNames?: string[];
}

const names = (value: string): string[] => value.split(",").map((s) => s.trim()).filter((s) => s.length > 0);

/** `--engine 1` is an index; anything else is a path in the model or an engine name. */
export function parseEngineChoice(value: string): string | number {
  return /^\d+$/.test(value) ? Number(value) : value;
}

/** Adds `--engine`, `--input-order` and `--output-order` to a command. */
export function addEngineChoiceOptions(command: Command): Command {
  return command
    .option("--engine <name|index>", "which engine of a .ep/.ts archive with several (`trt inspect FILE` lists them)", parseEngineChoice)
    .option("--input-order <names>", "input names, comma-separated, in positional order (default: the file's, or the engine's own for a raw plan)", names)
    .option("--output-order <names>", "output names, comma-separated, in result order", names);
}

/** The shared options as commander parses them. */
export interface EngineChoiceOptions {
  engine?: string | number;
  inputOrder?: string[];
  outputOrder?: string[];
}

/** The load options from parsed command options. */
export function engineChoice(options: EngineChoiceOptions): EngineChoice {
  return {
    ...(options.engine !== undefined ? { engine: options.engine } : {}),
    ...(options.inputOrder !== undefined ? { inputBindingNames: options.inputOrder } : {}),
    ...(options.outputOrder !== undefined ? { outputBindingNames: options.outputOrder } : {}),
  };
}
