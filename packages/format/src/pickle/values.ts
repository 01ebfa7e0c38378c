// What the pickle reader produces. Plain JS values where the mapping is exact
// (None -> null, bool, int -> number or bigint, float -> number, str -> string,
// bytes/bytearray -> Uint8Array, list -> array); small classes for the rest, so
// nothing a pickle describes is ever executed or looked up. Floats become numbers,
// so 1.0 and 1 look the same here; nothing in the engine tuple depends on that.

import type { Utf8Text } from "../text.js";

/** Any value the reader can produce. */
export type PyValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | Utf8Text
  | PyValue[]
  | PyTuple
  | PyDict
  | PySet
  | PyGlobal
  | PyObject;

/** A Python tuple (kept distinct from a list). */
export class PyTuple {
  /** Wraps the items. */
  constructor(readonly items: PyValue[]) {}
}

/** A Python dict: entries in insertion order; keys of any type. */
export class PyDict {
  /** Key/value pairs in insertion order. */
  readonly entries: Array<[PyValue, PyValue]> = [];
  private readonly index = new Map<string | number | boolean | bigint | null, number>();

  /** Sets `key`, replacing an earlier entry with the same simple key as Python would. */
  set(key: PyValue, value: PyValue): void {
    const simple = simpleKey(key);
    const at = simple === undefined ? undefined : this.index.get(simple);
    if (at !== undefined) {
      (this.entries[at] as [PyValue, PyValue])[1] = value;
      return;
    }
    if (simple !== undefined) this.index.set(simple, this.entries.length);
    this.entries.push([key, value]);
  }

  /** The value for a string key, if present. */
  get(key: string): PyValue | undefined {
    const at = this.index.get(`s:${key}`);
    return at === undefined ? undefined : (this.entries[at] as [PyValue, PyValue])[1];
  }
}

function simpleKey(key: PyValue): string | number | boolean | bigint | null | undefined {
  if (typeof key === "string") return `s:${key}`;
  if (typeof key === "number" || typeof key === "bigint" || typeof key === "boolean" || key === null) return key;
  return undefined;
}

/** A Python set or frozenset. */
export class PySet {
  /** Items in the order the pickle listed them. */
  readonly items: PyValue[] = [];
  /** Wraps a set; `frozen` for frozenset. */
  constructor(readonly frozen: boolean) {}
}

/** A reference to a module-level name (a class, function or constant), never resolved. */
export class PyGlobal {
  /** Module and qualified name as the pickle spelled them. */
  constructor(
    readonly module: string,
    readonly name: string,
  ) {}
  /** "module.name". */
  get qualifiedName(): string {
    return `${this.module}.${this.name}`;
  }
}

/**
 * Whatever a pickle would have built by calling something: an instance of a class,
 * the result of a function, a persistent id, an extension code. It records how it
 * was described so the metadata view can show it.
 */
export class PyObject {
  /** Instance state set by BUILD (usually the instance `__dict__`). */
  state: PyValue | undefined = undefined;
  /** Items added by APPEND/APPENDS (list subclasses). */
  readonly listItems: PyValue[] = [];
  /** Items added by SETITEM/SETITEMS (dict subclasses). */
  readonly dictItems: Array<[PyValue, PyValue]> = [];
  /** Builds the description. */
  constructor(
    /** What was called: a PyGlobal, or another value for unusual pickles. */
    readonly callee: PyValue,
    /** Positional arguments. */
    readonly args: PyValue[],
    /** Keyword arguments (NEWOBJ_EX). */
    readonly kwargs: PyValue | undefined,
    /** Which opcode produced it. */
    readonly via: "reduce" | "newobj" | "newobj_ex" | "inst" | "obj" | "persid" | "ext",
  ) {}
}
