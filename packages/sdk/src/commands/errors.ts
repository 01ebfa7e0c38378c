import { isFormatError } from "@trt/format";

/**
 * One line for stderr: `error [CODE]: message`. FormatErrors carry their stable
 * code; Node I/O errors their errno code (ENOENT, EACCES, ...). No stack trace:
 * these are user-facing outcomes, not bugs.
 */
export function formatCliError(e: unknown, file?: string): string {
  if (isFormatError(e)) return `error [${e.code}]: ${e.message}`;
  const code = (e as { code?: unknown } | null)?.code;
  const message = e instanceof Error ? e.message : String(e);
  if (typeof code === "string") return `error [${code}]: ${file ? `cannot read ${file}: ` : ""}${message}`;
  return `error: ${message}`;
}
