// Torch pickles for tests, opcode by opcode: an engine object as TorchScript and
// torch.save write it (GLOBAL torch.classes.tensorrt.Engine, NEWOBJ, BUILD with the
// tuple as a list of str), alone or as the values of a dict keyed by attribute name.
import { concatChunks } from "../src/concat.js";
import { encodeTuple, type SerializedEngine } from "../src/index.js";
import { sampleEngine } from "./helpers.js";

type Slots = Array<string | Uint8Array>;

const enc = new TextEncoder();

function writer(): { out: Uint8Array[]; op: (...b: number[]) => void; text: (s: string | Uint8Array) => void; engine: (slots: Slots) => void } {
  // Chunks, not one number[]: an engine slot is megabytes, too many for push(...bytes).
  const out: Uint8Array[] = [Uint8Array.of(0x80, 0x02)];
  const op = (...b: number[]): void => void out.push(Uint8Array.from(b));
  const text = (s: string | Uint8Array): void => {
    const b = typeof s === "string" ? enc.encode(s) : s;
    op(0x58, b.length & 0xff, (b.length >> 8) & 0xff, (b.length >> 16) & 0xff, b.length >>> 24);
    out.push(b);
  };
  const engine = (slots: Slots): void => {
    op(0x63);
    out.push(enc.encode("torch.classes.tensorrt\nEngine\n"));
    op(0x29, 0x81); // GLOBAL above, EMPTY_TUPLE, NEWOBJ
    op(0x5d, 0x28); // EMPTY_LIST, MARK
    for (const s of slots) text(s);
    op(0x65, 0x62); // APPENDS, BUILD
  };
  return { out, op, text, engine };
}

/** One engine object, or (with `key`) a one-entry dict holding it. */
export function enginePickle(slots: Slots, key?: string): Uint8Array {
  return key === undefined ? enginesPickle([["", slots]], false) : enginesPickle([[key, slots]]);
}

/** A dict of engine objects by key (as a module's attributes are), or the first engine alone. */
export function enginesPickle(entries: Array<[string, Slots]>, asDict = true): Uint8Array {
  const w = writer();
  if (asDict) {
    w.op(0x7d, 0x28); // EMPTY_DICT, MARK
    for (const [key, slots] of entries) {
      w.text(key);
      w.engine(slots);
    }
    w.op(0x75); // SETITEMS
  } else {
    w.engine((entries[0] as [string, Slots])[1]);
  }
  w.op(0x2e);
  return concatChunks(w.out);
}

/** The tuple's slots as the C++ engine pickles them: every slot str, the engine base64. */
export const base64Slots = (engine: SerializedEngine = sampleEngine()): string[] =>
  encodeTuple(engine).map((s) => (typeof s === "string" ? s : Buffer.from(s).toString("base64")));
