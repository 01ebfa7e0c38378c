import { base64Decode } from "./base64.js";
import { isFormatError, type FormatErrorCode } from "./errors.js";
import { unpickle } from "./pickle/reader.js";
import { PyDict, PyGlobal, PySet, PyTuple, type PyObject, type PyValue } from "./pickle/values.js";
import { Utf8Text } from "./text.js";

/** A JSON-compatible value (what the metadata view renders pickled objects as). */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * A best-effort reading of the metadata slot (base64 of a Python pickle of a dict
 * such as `{"settings": CompilationSettings(...), "inout_symexprs": ..., ...}`).
 *
 * `value` renders the pickle as JSON: dicts with str keys as objects, lists and
 * tuples as arrays, and markers for the rest: `{"$class": "mod.Name", "args": [...],
 * "state": ...}` for objects (nothing is imported or run), `{"$global": "mod.name"}`
 * for references, `{"$bytes": n, "hex": "..."}`, `{"$int": "..."}` beyond 2^53,
 * `{"$float": "nan" | "inf" | "-inf"}`, `{"$set": [...]}`, `{"$dict": [[k, v], ...]}`
 * for other keys, `{"$cycle": true}` for self-references.
 */
export interface MetadataView {
  /** "empty": the slot is "". "decoded": `value` holds the rendering. "error": see `error`. */
  status: "empty" | "decoded" | "error";
  /** Size of the pickle after base64 decoding (0 when that failed). */
  pickleBytes: number;
  /** Pickle protocol, when the pickle has a PROTO opcode. */
  protocol: number | null;
  /** The rendering; null unless status is "decoded". */
  value: JsonValue | null;
  /** Every class or function the pickle names, "module.name", in order of first use. */
  classes: string[];
  /** True when the rendering was cut short (more than {@link MAX_VIEW_NODES} values or nesting deeper than 64). */
  truncated: boolean;
  /** Why decoding failed, when status is "error". */
  error: { code: FormatErrorCode; message: string } | null;
}

/** Most values one rendering visits; bounds the work shared references can cause. */
export const MAX_VIEW_NODES = 20000;
const MAX_DEPTH = 64;
const HEX_PREVIEW = 32;
const TEXT_PREVIEW = 200;

interface Budget {
  nodes: number;
  truncated: boolean;
}

function hexPreview(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < Math.min(bytes.length, HEX_PREVIEW); i++) s += (bytes[i] as number).toString(16).padStart(2, "0");
  return bytes.length > HEX_PREVIEW ? `${s}…` : s;
}

function objectOf(entries: Array<[string, JsonValue]>): { [key: string]: JsonValue } {
  // A null-prototype object, so a pickled key such as "__proto__" is just a key.
  const out = Object.create(null) as { [key: string]: JsonValue };
  for (const [k, v] of entries) out[k] = v;
  return out;
}

function render(v: PyValue, budget: Budget, path: Set<object>, depth: number): JsonValue {
  if (budget.nodes <= 0 || depth > MAX_DEPTH) {
    budget.truncated = true;
    return "…";
  }
  budget.nodes -= 1;
  if (v === null || typeof v === "boolean" || typeof v === "string") return v;
  if (typeof v === "number") return Number.isFinite(v) ? v : objectOf([["$float", Number.isNaN(v) ? "nan" : v > 0 ? "inf" : "-inf"]]);
  if (typeof v === "bigint") return objectOf([["$int", v.toString()]]);
  if (v instanceof Uint8Array) return objectOf([["$bytes", v.length], ["hex", hexPreview(v)]]);
  if (v instanceof Utf8Text) {
    return objectOf([["$text", v.bytes.length], ["preview", new TextDecoder().decode(v.bytes.subarray(0, TEXT_PREVIEW))]]);
  }
  if (v instanceof PyGlobal) return objectOf([["$global", v.qualifiedName]]);
  if (path.has(v)) return objectOf([["$cycle", true]]);
  path.add(v);
  const all = (items: PyValue[]): JsonValue[] => items.map((x) => render(x, budget, path, depth + 1));
  const pairs = (entries: Array<[PyValue, PyValue]>): JsonValue =>
    entries.every(([k]) => typeof k === "string")
      ? objectOf(entries.map(([k, x]) => [k as string, render(x, budget, path, depth + 1)]))
      : objectOf([["$dict", entries.map(([k, x]) => [render(k, budget, path, depth + 1), render(x, budget, path, depth + 1)])]]);
  let out: JsonValue;
  if (Array.isArray(v)) out = all(v);
  else if (v instanceof PyTuple) out = all(v.items);
  else if (v instanceof PyDict) out = pairs(v.entries);
  else if (v instanceof PySet) out = objectOf([[v.frozen ? "$frozenset" : "$set", all(v.items)]]);
  else out = renderObject(v, budget, path, depth, all, pairs);
  path.delete(v);
  return out;
}

function renderObject(
  v: PyObject,
  budget: Budget,
  path: Set<object>,
  depth: number,
  all: (items: PyValue[]) => JsonValue[],
  pairs: (entries: Array<[PyValue, PyValue]>) => JsonValue,
): JsonValue {
  const fields: Array<[string, JsonValue]> = [];
  if (v.via === "persid") fields.push(["$persistent_id", all(v.args)[0] ?? null]);
  else if (v.via === "ext") fields.push(["$extension", all(v.args)[0] ?? null]);
  else {
    fields.push(["$class", v.callee instanceof PyGlobal ? v.callee.qualifiedName : render(v.callee, budget, path, depth + 1)]);
    if (v.args.length > 0) fields.push(["args", all(v.args)]);
    if (v.kwargs !== undefined) fields.push(["kwargs", render(v.kwargs, budget, path, depth + 1)]);
  }
  if (v.state !== undefined) fields.push(["state", render(v.state, budget, path, depth + 1)]);
  if (v.listItems.length > 0) fields.push(["items", all(v.listItems)]);
  if (v.dictItems.length > 0) fields.push(["entries", pairs(v.dictItems)]);
  return objectOf(fields);
}

/** Renders a value from the pickle reader as JSON (see {@link MetadataView} for the markers). */
export function pyValueToJson(value: PyValue): { value: JsonValue; truncated: boolean } {
  const budget: Budget = { nodes: MAX_VIEW_NODES, truncated: false };
  const json = render(value, budget, new Set(), 0);
  return { value: json, truncated: budget.truncated };
}

/**
 * Decodes the metadata slot for display. Never throws: anything unexpected
 * (not base64, not a pickle, unknown opcodes) gives status "error" with a code.
 */
export function decodeMetadata(metadata: string): MetadataView {
  const view: MetadataView = { status: "empty", pickleBytes: 0, protocol: null, value: null, classes: [], truncated: false, error: null };
  if (typeof metadata !== "string" || metadata === "") {
    if (typeof metadata !== "string") {
      view.status = "error";
      view.error = { code: "BAD_SLOT_TYPE", message: `expected the metadata slot as a string, found ${typeof metadata}.` };
    }
    return view;
  }
  try {
    const pickle = base64Decode(metadata, "the metadata slot");
    view.pickleBytes = pickle.length;
    const result = unpickle(pickle, { mode: "describe", lazyTextBytes: 64 * 1024, allowTrailing: true });
    view.protocol = result.protocol;
    view.classes = result.globals;
    const rendered = pyValueToJson(result.value);
    view.value = rendered.value;
    view.truncated = rendered.truncated;
    view.status = "decoded";
  } catch (e) {
    view.status = "error";
    view.value = null;
    view.error = isFormatError(e)
      ? { code: e.code, message: e.message }
      : { code: "BAD_PICKLE", message: `expected a readable pickle, found one that failed with ${String(e)}. The metadata is kept as opaque bytes.` };
  }
  return view;
}
