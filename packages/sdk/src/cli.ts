#!/usr/bin/env node
// The `trt` command line. Each command registers itself from src/commands/;
// the runtime (and with it koffi and any native library) is imported only by
// the commands that run engines, when they run.
import { Command } from "commander";
import { addGlobalOptions } from "./cli/global-options.js";
import { registerBench } from "./commands/bench.js";
import { registerConvert } from "./commands/convert.js";
import { registerDoctor } from "./commands/doctor.js";
import { registerInspect } from "./commands/inspect.js";
import { registerRun } from "./commands/run.js";

declare const __SDK_VERSION__: string;
const version = typeof __SDK_VERSION__ === "string" ? __SDK_VERSION__ : "0.0.0";

const program = new Command()
  .name("trt")
  .description("TensorRT runtime for Node.js: command-line tools")
  .version(version)
  .showHelpAfterError("(add --help for usage)")
  // commander's own usage errors ("error: unknown option ...") in the same `error [CODE]: ...` shape as every other failure.
  .configureOutput({ outputError: (text, write) => write(text.replace(/^error: /, "error [USAGE]: ")) });
addGlobalOptions(program);

registerInspect(program);
registerRun(program);
registerBench(program);
registerConvert(program);
registerDoctor(program, version);

program.parseAsync(process.argv).catch((e: unknown) => {
  // Commands report their own errors; this only catches bugs, still without a stack.
  process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
