/**
 * A reader for the Python literal in a .npy header: a dict of str keys whose
 * values are strs, bools, None, ints, tuples and lists (numpy writes it with
 * `repr()`). It is a small recursive-descent parser rather than a regular
 * expression, so odd spacing, either quote style, trailing commas, Python 2's
 * `3L` ints and structured dtypes (lists) are read exactly, and anything else
 * is reported with its position. It evaluates nothing.
 */
import { NpyError } from "./errors.js";

/** A parsed Python literal. Tuples and lists stay apart: a shape must be a tuple. */
export type PyLiteral =
  | { readonly kind: "str"; readonly value: string }
  | { readonly kind: "int"; readonly value: number }
  | { readonly kind: "bool"; readonly value: boolean }
  | { readonly kind: "none" }
  | { readonly kind: "tuple" | "list"; readonly items: readonly PyLiteral[] }
  | { readonly kind: "dict"; readonly entries: ReadonlyMap<string, PyLiteral> };

/** Parses `text` as one literal (surrounding whitespace allowed); NpyError (NPY_BAD_HEADER) otherwise. */
export function parsePyLiteral(text: string): PyLiteral {
  const parser = new Parser(text);
  const value = parser.value();
  parser.skipSpace();
  if (!parser.atEnd()) parser.fail("the end of the header");
  return value;
}

class Parser {
  private at = 0;

  constructor(private readonly text: string) {}

  atEnd(): boolean {
    return this.at >= this.text.length;
  }

  skipSpace(): void {
    while (!this.atEnd() && " \t\r\n".includes(this.text[this.at]!)) this.at++;
  }

  fail(expected: string): never {
    const near = this.atEnd() ? "the end of the header" : JSON.stringify(this.text.slice(this.at, this.at + 12));
    throw new NpyError("NPY_BAD_HEADER", {
      expected: `${expected} in the header dict`,
      found: `${near} at character ${this.at}`,
      hint: "The header must be a Python dict literal as numpy.save writes it",
    });
  }

  value(): PyLiteral {
    this.skipSpace();
    const c = this.text[this.at];
    if (c === "'" || c === '"') return { kind: "str", value: this.string(c) };
    if (c === "(") return { kind: "tuple", items: this.sequence(")") };
    if (c === "[") return { kind: "list", items: this.sequence("]") };
    if (c === "{") return this.dict();
    if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) return this.int();
    for (const [word, literal] of WORDS) {
      if (this.text.startsWith(word, this.at)) {
        this.at += word.length;
        return literal;
      }
    }
    return this.fail("a value (str, int, True, False, None, tuple, list or dict)");
  }

  private string(quote: string): string {
    let out = "";
    for (this.at++; ; this.at++) {
      const c = this.text[this.at];
      if (c === undefined) this.fail(`a closing ${quote}`);
      if (c === quote) break;
      // A backslash keeps the next character as it is: enough for the quotes and backslashes repr() escapes.
      if (c === "\\") {
        this.at++;
        const next = this.text[this.at];
        if (next === undefined) this.fail(`a closing ${quote}`);
        out += next;
      } else {
        out += c;
      }
    }
    this.at++;
    return out;
  }

  private int(): PyLiteral {
    const match = /^-?[0-9]+L?/.exec(this.text.slice(this.at));
    if (!match) return this.fail("an integer");
    this.at += match[0].length;
    const next = this.text[this.at];
    if (next === "." || next === "e" || next === "E") this.fail("an integer (not a float)");
    const value = Number(match[0].replace("L", ""));
    if (!Number.isSafeInteger(value)) this.fail("an integer below 2^53");
    return { kind: "int", value };
  }

  private sequence(close: string): PyLiteral[] {
    const items: PyLiteral[] = [];
    this.at++;
    for (;;) {
      this.skipSpace();
      if (this.text[this.at] === close) break;
      items.push(this.value());
      this.skipSpace();
      if (this.text[this.at] === ",") this.at++;
      else if (this.text[this.at] !== close) this.fail(`"," or "${close}"`);
    }
    this.at++;
    return items;
  }

  private dict(): PyLiteral {
    const entries = new Map<string, PyLiteral>();
    this.at++;
    for (;;) {
      this.skipSpace();
      if (this.text[this.at] === "}") break;
      const key = this.value();
      if (key.kind !== "str") this.fail("a str key");
      if (entries.has(key.value)) this.fail(`one ${JSON.stringify(key.value)} key (it is repeated)`);
      this.skipSpace();
      if (this.text[this.at] !== ":") this.fail('":"');
      this.at++;
      entries.set(key.value, this.value());
      this.skipSpace();
      if (this.text[this.at] === ",") this.at++;
      else if (this.text[this.at] !== "}") this.fail('"," or "}"');
    }
    this.at++;
    return { kind: "dict", entries };
  }
}

const WORDS: ReadonlyArray<readonly [string, PyLiteral]> = [
  ["True", { kind: "bool", value: true }],
  ["False", { kind: "bool", value: false }],
  ["None", { kind: "none" }],
];
