/**
 * The `trt-server` command: parse, serve, and turn failures into one line on
 * stderr (`error [CODE]: message`) with exit status 2 for a bad command line
 * and 1 for anything else (an engine that does not load, a port in use).
 */
import { parseServerArgs, USAGE, UsageError } from "./cli/args.js";
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
  process.exit(error instanceof UsageError ? 2 : 1);
}
