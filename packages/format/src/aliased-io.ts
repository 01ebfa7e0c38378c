import { BINDING_DELIMITER } from "./fields.js";
import { fail, show } from "./errors.js";

/**
 * The kinds Torch-TensorRT records: "kv_cache_update" (TensorRT enforces the alias,
 * e.g. IKVCacheUpdateLayer) and "user" (declared by the user for an in-place op).
 * Other strings are kept as read so the tuple round-trips; Torch-TensorRT's C++
 * runtime treats an unknown kind as "kv_cache_update".
 */
export type AliasKind = "kv_cache_update" | "user" | (string & Record<never, never>);

/** One aliased output: it shares storage with an input. */
export interface AliasedIO {
  /** Output binding name. */
  output: string;
  /** Input binding name whose storage the output reuses. */
  input: string;
  /** Why they alias; see {@link AliasKind}. */
  kind: AliasKind;
}

/** Separator between the three fields of one record. */
export const ALIASED_IO_FIELD_DELIMITER = "@";

function badRecord(found: string): never {
  return fail(
    "BAD_ALIASED_IO",
    "aliased I/O records `output@input@kind` joined by '%', each field non-empty",
    found,
    "The aliased-I/O slot is damaged; re-export the engine.",
  );
}

/** Parses the aliased-I/O slot; "" means none. BAD_ALIASED_IO for a malformed record. */
export function parseAliasedIO(text: string): AliasedIO[] {
  if (text === "") return [];
  return text.split(BINDING_DELIMITER).map((record, i) => {
    const fields = record.split(ALIASED_IO_FIELD_DELIMITER);
    if (fields.length !== 3 || fields.some((f) => f === "")) {
      badRecord(`record ${i} = ${show(record)}`);
    }
    const [output, input, kind] = fields as [string, string, string];
    return { output, input, kind };
  });
}

/** Formats the aliased-I/O slot; INVALID_VALUE for empty fields or ones containing '%' or '@'. */
export function formatAliasedIO(records: readonly AliasedIO[]): string {
  return records
    .map((r, i) => {
      for (const [key, value] of Object.entries({ output: r.output, input: r.input, kind: r.kind })) {
        if (typeof value !== "string" || value === "" || value.includes("%") || value.includes("@")) {
          fail(
            "INVALID_VALUE",
            `aliasedIO[${i}].${key} as non-empty text without '%' or '@'`,
            typeof value === "string" ? show(value) : typeof value,
            "Fix the record before encoding; '%' and '@' are the slot's separators.",
          );
        }
      }
      return [r.output, r.input, r.kind].join(ALIASED_IO_FIELD_DELIMITER);
    })
    .join(BINDING_DELIMITER);
}
