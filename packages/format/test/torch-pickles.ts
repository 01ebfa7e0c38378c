// Torch pickles for tests, opcode by opcode: an engine object as TorchScript and
// torch.save write it (GLOBAL torch.classes.tensorrt.Engine, NEWOBJ, BUILD with the
// tuple as a list of str), optionally as the value of a one-entry dict.
import { encodeTuple } from "../src/index.js";
import { sampleEngine } from "./helpers.js";

export function enginePickle(slots: Array<string | Uint8Array>, wrapInDict?: string): Uint8Array {
  const enc = new TextEncoder();
  const out: number[] = [0x80, 0x02];
  const push = (...b: number[]): void => void out.push(...b);
  const text = (s: string | Uint8Array): void => {
    const b = typeof s === "string" ? enc.encode(s) : s;
    push(0x58, b.length & 0xff, (b.length >> 8) & 0xff, (b.length >> 16) & 0xff, b.length >>> 24, ...b);
  };
  if (wrapInDict !== undefined) {
    push(0x7d); // EMPTY_DICT
    text(wrapInDict);
  }
  push(0x63, ...enc.encode("torch.classes.tensorrt\nEngine\n"), 0x29, 0x81); // GLOBAL, EMPTY_TUPLE, NEWOBJ
  push(0x5d, 0x28); // EMPTY_LIST, MARK
  for (const s of slots) text(s);
  push(0x65, 0x62); // APPENDS, BUILD
  if (wrapInDict !== undefined) push(0x73); // SETITEM
  push(0x2e);
  return new Uint8Array(out);
}

export const base64Slots = (engine = sampleEngine()): string[] => {
  const raw = encodeTuple(engine);
  return raw.map((s) => (typeof s === "string" ? s : Buffer.from(s).toString("base64")));
};

