// A pickle reader that interprets the opcode stream as data only. It never imports,
// looks up or calls anything: globals become PyGlobal descriptions, calls become
// PyObject descriptions (or, for the few spellings of bytes/sets, the data itself).
// Every opcode consumes at least one input byte and does work proportional to what
// earlier opcodes pushed, so time and memory are linear in the input size.

import { fail } from "../errors.js";
import { Utf8Text, utf8Decode, utf8DecodeLenient } from "../text.js";
import { BYTES_GLOBALS, evaluateKnownCall, refuseGlobal } from "./calls.js";
import { HIGHEST_PROTOCOL, OP } from "./opcodes.js";
import { decodeLong, latin1String, parseDecimal, parseFloatLine, parseQuotedString, parseRawUnicodeEscape } from "./scalars.js";
import { PyDict, PyGlobal, PyObject, PySet, PyTuple, type PyValue } from "./values.js";

/** Options for {@link unpickle}. */
export interface UnpickleOptions {
  /**
   * "strict": only str/bytes spellings are allowed; any other global is
   * UNSUPPORTED_PICKLE_GLOBAL (the engine-tuple reader). "describe": other globals
   * and calls become PyGlobal/PyObject descriptions (the metadata view).
   */
  mode: "strict" | "describe";
  /** Strings of at least this many UTF-8 bytes are returned as Utf8Text (default 1 MiB). */
  lazyTextBytes?: number;
  /** Accept bytes after STOP (default false: TRAILING_BYTES). */
  allowTrailing?: boolean;
}

/** What {@link unpickle} returns. */
export interface UnpickleResult {
  /** The top-level object. */
  value: PyValue;
  /** Protocol from the PROTO opcode; null for protocols 0 and 1. */
  protocol: number | null;
  /** Offset just after STOP. */
  end: number;
  /** Every global referenced, as "module.name", in order of first use. */
  globals: string[];
}

const bad = (expected: string, found: string): never =>
  fail("BAD_PICKLE", expected, found, "The pickle is damaged or was not written by Python's pickle module.");

/** Interprets `bytes` as one pickle. Malformed input is a FormatError, never anything else. */
export function unpickle(bytes: Uint8Array, options: UnpickleOptions): UnpickleResult {
  const strict = options.mode === "strict";
  const lazyAt = options.lazyTextBytes ?? 1024 * 1024;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const stack: PyValue[] = [];
  const marks: number[] = [];
  const memo = new Map<number, PyValue>();
  const globals = new Set<string>();
  let pos = 0;
  let protocol: number | null = null;

  const where = (): string => `offset ${pos}`;
  const need = (n: number, what: string): void => {
    if (n > bytes.length - pos) {
      fail("TRUNCATED", `${n} bytes of ${what} at ${where()}`, `${bytes.length - pos} bytes left`, "The pickle was cut short; copy it again.");
    }
  };
  const take = (n: number, what: string): Uint8Array => {
    need(n, what);
    pos += n;
    return bytes.subarray(pos - n, pos);
  };
  const u8 = (): number => take(1, "an argument")[0] as number;
  // Fixed-size little-endian fields; `need` first, so a short input is TRUNCATED.
  const fixed = (n: number, read: (offset: number) => number): number => {
    need(n, "an argument");
    pos += n;
    return read(pos - n);
  };
  const u16 = (): number => fixed(2, (o) => view.getUint16(o, true));
  const u32 = (): number => fixed(4, (o) => view.getUint32(o, true));
  const i32 = (): number => fixed(4, (o) => view.getInt32(o, true));
  const u64 = (): number => {
    need(8, "a length");
    const lo = view.getUint32(pos, true);
    const hi = view.getUint32(pos + 4, true);
    pos += 8;
    // Anything that does not fit a JS number is far longer than the input anyway.
    return hi >= 0x200000 ? Number.MAX_SAFE_INTEGER : hi * 0x100000000 + lo;
  };
  const line = (what: string): string => {
    const nl = bytes.indexOf(0x0a, pos);
    if (nl < 0) fail("TRUNCATED", `a newline ending ${what} at ${where()}`, "the end of the input", "The pickle was cut short; copy it again.");
    const text = latin1String(bytes.subarray(pos, nl));
    pos = nl + 1;
    return text.endsWith("\r") ? text.slice(0, -1) : text;
  };
  const text = (raw: Uint8Array): string | Utf8Text => {
    if (raw.length >= lazyAt) return new Utf8Text(raw);
    return strict ? utf8Decode(raw, "a pickled string") : utf8DecodeLenient(raw);
  };
  const floor = (): number => marks[marks.length - 1] ?? 0;
  const push = (v: PyValue): void => void stack.push(v);
  const pop = (): PyValue => {
    if (stack.length <= floor()) bad(`a value on the stack at ${where()}`, "an empty stack (or only a MARK)");
    return stack.pop() as PyValue;
  };
  const top = (): PyValue => {
    if (stack.length <= floor()) bad(`a value on the stack at ${where()}`, "an empty stack (or only a MARK)");
    return stack[stack.length - 1] as PyValue;
  };
  const popMark = (): PyValue[] => {
    const m = marks.pop();
    if (m === undefined) bad(`a MARK before the opcode at ${where()}`, "no MARK");
    return stack.splice(m as number);
  };
  const tupleItems = (v: PyValue, what: string): PyValue[] => {
    if (v instanceof PyTuple) return v.items;
    return bad(`${what} as a tuple at ${where()}`, describe(v));
  };
  const memoKey = (n: number | bigint): number => {
    if (typeof n !== "number" || n < 0) bad(`a memo index at ${where()}`, String(n));
    return n as number;
  };
  const get = (key: number): void => {
    if (!memo.has(key)) bad(`memo entry ${key} at ${where()}`, "no such entry");
    push(memo.get(key) as PyValue);
  };
  const global = (module: string, name: string): void => {
    const qualified = `${module}.${name}`;
    globals.add(qualified);
    if (strict && !BYTES_GLOBALS.has(qualified)) refuseGlobal(qualified);
    push(new PyGlobal(module, name));
  };
  const call = (callee: PyValue, args: PyValue[], kwargs: PyValue | undefined, via: PyObject["via"]): void => {
    const known = kwargs === undefined ? evaluateKnownCall(callee, args, !strict) : undefined;
    if (known !== undefined) return push(known);
    if (strict) {
      if (callee instanceof PyGlobal) bad(`a call of ${callee.qualifiedName} as Python's pickler writes it`, `${args.length} argument(s) of other types`);
      refuseGlobal(`a ${via} call`);
    }
    push(new PyObject(callee, args, kwargs, via));
  };
  const appendTo = (target: PyValue, items: PyValue[]): void => {
    if (Array.isArray(target)) for (const v of items) target.push(v);
    else if (target instanceof PyObject && !strict) target.listItems.push(...items);
    else if (target instanceof PySet && !strict) target.items.push(...items);
    else bad(`a list to append to at ${where()}`, describe(target));
  };
  const setItems = (target: PyValue, items: PyValue[]): void => {
    if (items.length % 2 !== 0) bad(`key/value pairs at ${where()}`, `${items.length} items`);
    for (let i = 0; i < items.length; i += 2) {
      if (target instanceof PyDict) target.set(items[i] as PyValue, items[i + 1] as PyValue);
      else if (target instanceof PyObject && !strict) target.dictItems.push([items[i] as PyValue, items[i + 1] as PyValue]);
      else bad(`a dict to set items on at ${where()}`, describe(target));
    }
  };

  for (;;) {
    if (pos >= bytes.length) fail("TRUNCATED", "a STOP opcode ending the pickle", "the end of the input", "The pickle was cut short; copy it again.");
    const at = pos;
    const op = bytes[pos++] as number;
    switch (op) {
      case OP.PROTO: {
        const p = u8();
        if (p > HIGHEST_PROTOCOL) bad(`pickle protocol 0 to ${HIGHEST_PROTOCOL}`, `protocol ${p}`);
        protocol = p;
        break;
      }
      case OP.FRAME: {
        // A frame only tells a streaming reader how much to read ahead; here it is
        // checked against the input and otherwise ignored.
        const n = u64();
        if (n > bytes.length - pos) need(bytes.length - pos + 1, "a frame");
        break;
      }
      case OP.STOP: {
        const value = pop();
        if (pos !== bytes.length && options.allowTrailing !== true) {
          fail("TRAILING_BYTES", "the end of the input after STOP", `${bytes.length - pos} more bytes`, "Something follows the pickle; pass only the pickle's bytes.");
        }
        return { value, protocol, end: pos, globals: [...globals] };
      }
      case OP.MARK: marks.push(stack.length); break;
      case OP.POP:
        if (stack.length === floor() && marks.length > 0) marks.pop();
        else pop();
        break;
      case OP.POP_MARK: popMark(); break;
      case OP.DUP: push(top()); break;
      case OP.NONE: push(null); break;
      case OP.NEWTRUE: push(true); break;
      case OP.NEWFALSE: push(false); break;
      case OP.INT: {
        const t = line("an INT");
        push(t === "01" ? true : t === "00" ? false : parseDecimal(t, "an INT"));
        break;
      }
      case OP.BININT: push(i32()); break;
      case OP.BININT1: push(u8()); break;
      case OP.BININT2: push(u16()); break;
      case OP.LONG: push(parseDecimal(line("a LONG"), "a LONG")); break;
      case OP.LONG1: push(decodeLong(take(u8(), "a LONG1"))); break;
      case OP.LONG4: {
        const n = i32();
        if (n < 0) bad("a non-negative LONG4 length", String(n));
        push(decodeLong(take(n, "a LONG4")));
        break;
      }
      case OP.FLOAT: push(parseFloatLine(line("a FLOAT"))); break;
      case OP.BINFLOAT: push(fixed(8, (o) => view.getFloat64(o, false))); break;
      case OP.STRING: push(parseQuotedString(line("a STRING"))); break;
      case OP.BINSTRING: {
        const n = i32();
        if (n < 0) bad("a non-negative BINSTRING length", String(n));
        push(latin1String(take(n, "a BINSTRING")));
        break;
      }
      case OP.SHORT_BINSTRING: push(latin1String(take(u8(), "a SHORT_BINSTRING"))); break;
      case OP.UNICODE: push(parseRawUnicodeEscape(line("a UNICODE"))); break;
      case OP.SHORT_BINUNICODE: push(text(take(u8(), "a string"))); break;
      case OP.BINUNICODE: push(text(take(u32(), "a string"))); break;
      case OP.BINUNICODE8: push(text(take(u64(), "a string"))); break;
      case OP.SHORT_BINBYTES: push(take(u8(), "bytes")); break;
      case OP.BINBYTES: push(take(u32(), "bytes")); break;
      case OP.BINBYTES8: push(take(u64(), "bytes")); break;
      case OP.BYTEARRAY8: push(take(u64(), "a bytearray")); break;
      case OP.NEXT_BUFFER:
        bad("in-band data (out-of-band pickle buffers are not supported)", `NEXT_BUFFER at offset ${at}`);
        break;
      case OP.READONLY_BUFFER: top(); break;
      case OP.EMPTY_LIST: push([]); break;
      case OP.LIST: push(popMark()); break;
      case OP.EMPTY_TUPLE: push(new PyTuple([])); break;
      case OP.TUPLE: push(new PyTuple(popMark())); break;
      case OP.TUPLE1: push(new PyTuple([pop()])); break;
      case OP.TUPLE2: { const b = pop(); push(new PyTuple([pop(), b])); break; }
      case OP.TUPLE3: { const c = pop(); const b = pop(); push(new PyTuple([pop(), b, c])); break; }
      case OP.EMPTY_DICT: push(new PyDict()); break;
      case OP.DICT: { const d = new PyDict(); setItems(d, popMark()); push(d); break; }
      case OP.EMPTY_SET: push(new PySet(false)); break;
      case OP.FROZENSET: { const s = new PySet(true); s.items.push(...popMark()); push(s); break; }
      case OP.ADDITEMS: { const items = popMark(); const s = top(); if (!(s instanceof PySet)) bad("a set for ADDITEMS", describe(s)); (s as PySet).items.push(...items); break; }
      case OP.APPEND: { const v = pop(); appendTo(top(), [v]); break; }
      case OP.APPENDS: { const items = popMark(); appendTo(top(), items); break; }
      case OP.SETITEM: { const v = pop(); const k = pop(); setItems(top(), [k, v]); break; }
      case OP.SETITEMS: { const items = popMark(); setItems(top(), items); break; }
      case OP.GLOBAL: { const module = line("a GLOBAL module"); global(module, line("a GLOBAL name")); break; }
      case OP.STACK_GLOBAL: {
        const name = pop();
        const module = pop();
        if (typeof module !== "string" || typeof name !== "string") bad("two strings for STACK_GLOBAL", `${describe(module)} and ${describe(name)}`);
        global(module as string, name as string);
        break;
      }
      case OP.REDUCE: { const args = tupleItems(pop(), "REDUCE arguments"); call(pop(), args, undefined, "reduce"); break; }
      case OP.NEWOBJ: { const args = tupleItems(pop(), "NEWOBJ arguments"); call(pop(), args, undefined, "newobj"); break; }
      case OP.NEWOBJ_EX: {
        const kwargs = pop();
        const args = tupleItems(pop(), "NEWOBJ_EX arguments");
        call(pop(), args, kwargs, "newobj_ex");
        break;
      }
      case OP.INST: {
        const module = line("an INST module");
        const name = line("an INST name");
        const args = popMark();
        global(module, name);
        call(pop(), args, undefined, "inst");
        break;
      }
      case OP.OBJ: {
        const items = popMark();
        if (items.length === 0) bad("a class for OBJ", "nothing after the MARK");
        call(items[0] as PyValue, items.slice(1), undefined, "obj");
        break;
      }
      case OP.BUILD: {
        const state = pop();
        const target = top();
        if (target instanceof PyObject) target.state = state;
        else if (strict) bad("an object for BUILD", describe(target));
        break;
      }
      case OP.PERSID: call(null, [line("a PERSID")], undefined, "persid"); break;
      case OP.BINPERSID: call(null, [pop()], undefined, "persid"); break;
      case OP.EXT1: call(null, [u8()], undefined, "ext"); break;
      case OP.EXT2: call(null, [u16()], undefined, "ext"); break;
      case OP.EXT4: call(null, [i32()], undefined, "ext"); break;
      case OP.PUT: memo.set(memoKey(parseDecimal(line("a PUT"), "a PUT index")), top()); break;
      case OP.BINPUT: { const k = u8(); memo.set(k, top()); break; }
      case OP.LONG_BINPUT: { const k = u32(); memo.set(k, top()); break; }
      case OP.MEMOIZE: memo.set(memo.size, top()); break;
      case OP.GET: get(memoKey(parseDecimal(line("a GET"), "a GET index"))); break;
      case OP.BINGET: get(u8()); break;
      case OP.LONG_BINGET: get(u32()); break;
      default:
        bad(`a pickle opcode at offset ${at}`, `byte 0x${op.toString(16).padStart(2, "0")}`);
    }
  }
}

/** Short type description of a reader value for messages. */
export function describe(v: PyValue | undefined): string {
  if (v === undefined) return "nothing";
  if (v === null) return "None";
  if (typeof v === "string" || v instanceof Utf8Text) return "a str";
  if (v instanceof Uint8Array) return `bytes (${v.length})`;
  if (Array.isArray(v)) return `a list of ${v.length}`;
  if (v instanceof PyTuple) return `a tuple of ${v.items.length}`;
  if (v instanceof PyDict) return "a dict";
  if (v instanceof PySet) return "a set";
  if (v instanceof PyGlobal) return v.qualifiedName;
  if (v instanceof PyObject) return v.callee instanceof PyGlobal ? `a ${v.callee.qualifiedName} object` : "an object";
  return `a ${typeof v}`;
}
