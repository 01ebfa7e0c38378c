#!/usr/bin/env node
// The `trt` command line. Each command registers itself from src/commands/.
import { Command } from "commander";
import { registerInspect } from "./commands/inspect.js";

declare const __SDK_VERSION__: string;

const program = new Command()
  .name("trt")
  .description("TensorRT runtime for Node.js: command-line tools")
  .version(typeof __SDK_VERSION__ === "string" ? __SDK_VERSION__ : "0.0.0")
  .showHelpAfterError();

registerInspect(program);

program.parseAsync(process.argv).catch((e: unknown) => {
  // Commands report their own errors; this only catches bugs, still without a stack.
  process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
