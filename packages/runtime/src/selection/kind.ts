/**
 * What a user can ask for: one engine implementation, or "auto" (native when
 * its binary loads, else ffi). Parsed in one place so the setter, the scopes
 * and the environment variable accept and refuse exactly the same values.
 */
import type { EngineImplementation } from "../engine/contract.js";
import { composeMessage } from "../errors/index.js";

/** An engine implementation, or "auto". */
export type RuntimeKind = EngineImplementation | "auto";

/** The values {@link RuntimeKind} takes. */
export const RUNTIME_KINDS: readonly RuntimeKind[] = Object.freeze(["native", "ffi", "auto"]);

/** The environment variable that sets the process default. */
export const RUNTIME_ENV = "TRT_RUNTIME";

/** `value` as a RuntimeKind; a RangeError saying what is accepted otherwise. `source` names where it came from. */
export function parseRuntimeKind(value: unknown, source: string): RuntimeKind {
  if (typeof value === "string" && (RUNTIME_KINDS as readonly string[]).includes(value)) return value as RuntimeKind;
  throw new RangeError(
    composeMessage(`Unknown engine implementation in ${source}`, {
      expected: RUNTIME_KINDS.map((k) => JSON.stringify(k)).join(", "),
      found: JSON.stringify(value),
      fix: `Use one of those (${RUNTIME_ENV} takes the same values).`,
    }),
  );
}

/** The kind named by `env[TRT_RUNTIME]`, "auto" when it is unset or empty; RangeError for anything else. */
export function runtimeKindFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): RuntimeKind {
  const raw = env[RUNTIME_ENV]?.trim().toLowerCase();
  return raw ? parseRuntimeKind(raw, `the ${RUNTIME_ENV} environment variable`) : "auto";
}
