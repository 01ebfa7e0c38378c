// The few callables the reader evaluates itself, because Python's pickler uses them
// to spell plain data: `_codecs.encode(text, "latin1")` is how protocol 2 writes
// bytes, `bytearray(...)` how protocols 2-4 write bytearray, `set`/`frozenset` and
// `collections.OrderedDict` how protocol 2 writes those containers. Each is
// reimplemented here as a pure data conversion; nothing is looked up or run.

import { fail } from "../errors.js";
import { latin1Encode, latin1FromUtf8, Utf8Text } from "../text.js";
import { PyDict, PyGlobal, PySet, PyTuple, type PyValue } from "./values.js";

/** Globals the strict (engine tuple) reader accepts: only those that spell bytes. */
export const BYTES_GLOBALS: ReadonlySet<string> = new Set([
  "_codecs.encode",
  "builtins.bytes",
  "__builtin__.bytes",
  "builtins.bytearray",
  "__builtin__.bytearray",
]);

/** Globals the describing (metadata) reader also evaluates as containers. */
const CONTAINER_GLOBALS: ReadonlySet<string> = new Set([
  "builtins.set",
  "__builtin__.set",
  "builtins.frozenset",
  "__builtin__.frozenset",
  "collections.OrderedDict",
]);

const LATIN1 = new Set(["latin1", "latin-1", "iso-8859-1", "iso8859-1", "l1"]);

function latin1Bytes(text: PyValue): Uint8Array | undefined {
  if (typeof text === "string") return latin1Encode(text, "pickled bytes");
  if (text instanceof Utf8Text) return latin1FromUtf8(text.bytes, "pickled bytes");
  return undefined;
}

function bytesFrom(args: PyValue[]): Uint8Array | undefined {
  if (args.length === 0) return new Uint8Array(0);
  const [first, encoding] = args;
  if (args.length === 1 && first instanceof Uint8Array) return first;
  if (args.length === 1 && Array.isArray(first) && first.every((v) => typeof v === "number" && v >= 0 && v <= 255 && Number.isInteger(v))) {
    return Uint8Array.from(first as number[]);
  }
  if (args.length === 2 && typeof encoding === "string" && LATIN1.has(encoding.toLowerCase())) return latin1Bytes(first as PyValue);
  return undefined;
}

function itemsOf(value: PyValue | undefined): PyValue[] | undefined {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value;
  if (value instanceof PyTuple) return value.items;
  return undefined;
}

/**
 * Evaluates a call to a known global, or returns undefined when `callee` is not
 * one of them or the arguments have a shape Python's pickler never writes.
 */
export function evaluateKnownCall(callee: PyValue, args: PyValue[], allowContainers: boolean): PyValue | undefined {
  if (!(callee instanceof PyGlobal)) return undefined;
  const name = callee.qualifiedName;
  if (name === "_codecs.encode") {
    const [text, encoding] = args;
    if (args.length === 2 && typeof encoding === "string" && LATIN1.has(encoding.toLowerCase())) return latin1Bytes(text as PyValue);
    return undefined;
  }
  if (BYTES_GLOBALS.has(name)) return bytesFrom(args);
  if (!allowContainers || !CONTAINER_GLOBALS.has(name)) return undefined;
  if (name.endsWith("OrderedDict")) {
    const pairs = itemsOf(args[0]);
    if (pairs === undefined || args.length > 1) return undefined;
    const dict = new PyDict();
    for (const pair of pairs) {
      const kv = itemsOf(pair);
      if (kv?.length !== 2) return undefined;
      dict.set(kv[0] as PyValue, kv[1] as PyValue);
    }
    return dict;
  }
  const items = itemsOf(args[0]);
  if (items === undefined || args.length > 1) return undefined;
  const set = new PySet(name.endsWith("frozenset"));
  set.items.push(...items);
  return set;
}

/** The strict reader's refusal of any other global. */
export function refuseGlobal(name: string): never {
  return fail(
    "UNSUPPORTED_PICKLE_GLOBAL",
    `only str and bytes values (globals allowed: ${[...BYTES_GLOBALS].join(", ")})`,
    `a reference to ${JSON.stringify(name.slice(0, 120))}`,
    "The engine tuple is plain text and bytes; this pickle holds other objects. Load it with decodeMetadata() for a description, or re-export the engine.",
  );
}
