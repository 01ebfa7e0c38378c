/**
 * The `trt-server` command: parse, serve, and turn failures into one line on
 * stderr (`error [CODE]: message`) with exit status 2 for a bad command line
 * (also a model file that is missing or not an engine, or a bad config.json)
 * and 1 for anything else (no TensorRT, a port in use).
 */
import { parseServerArgs, USAGE, UsageError } from "./cli/args.js";
import { BadModelError } from "./cli/load-errors.js";
import { serve } from "./cli/serve.js";

declare const __SERVER_VERSION__: string;

try {
  const command = parseServerArgs(process.argv.slice(2));
  if (command.kind === "help") process.stdout.write(`${USAGE}\n`);
  else if (command.kind === "version") process.stdout.write(`${__SERVER_VERSION__}\n`);
  else await serve(command.args);
} catch (error) {
  const code = (error as { code?: unknown }).code;
  process.stderr.write(`error [${typeof code === "string" ? code : "FAILED"}]: ${(error as Error).message}\n`);
  if (error instanceof UsageError) process.stderr.write(`${USAGE}\n`);
  // A model the user gave that cannot be served is a bad command line too.
  process.exit(error instanceof UsageError || error instanceof BadModelError ? 2 : 1);
}
