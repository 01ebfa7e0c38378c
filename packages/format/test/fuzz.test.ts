// Property tests: damaged containers and pickles produce FormatErrors (never another
// exception, never a hang), and the metadata view never throws at all.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeContainer, decodeMetadata, decodeTuple, encodeContainer, isFormatError, readEngineBytes, readPickledTuple, writePickledTuple } from "../src/index.js";
import { unpickle } from "../src/pickle-entry.js";
import { readContainerInSteps } from "../src/container-entry.js";
import { base64Encode } from "../src/tuple-entry.js";
import { flip, pattern, sampleEngine } from "./helpers.js";
import { base64Slots, enginePickle } from "./torch-pickles.js";
import { writeTestZip } from "./zip-writer.js";

type Mutation =
  | { kind: "flip"; at: number; bit: number }
  | { kind: "set"; at: number; value: number }
  | { kind: "truncate"; at: number }
  | { kind: "insert"; at: number; bytes: Uint8Array }
  | { kind: "delete"; at: number; count: number }
  | { kind: "u32"; at: number; value: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("flip" as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant("set" as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("insert" as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }) }),
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat(), count: fc.integer({ min: 1, max: 16 }) }),
  fc.record({ kind: fc.constant("u32" as const), at: fc.nat(), value: fc.oneof(fc.constant(0xffffffff), fc.nat()) }),
);

function mutate(input: Uint8Array, mutations: Mutation[]): Uint8Array {
  let b = input.slice();
  for (const m of mutations) {
    const at = b.length === 0 ? 0 : m.at % b.length;
    if (m.kind === "flip") flip(b, at, 1 << m.bit);
    else if (m.kind === "set") b[at] = m.value;
    else if (m.kind === "truncate") b = b.slice(0, at);
    else if (m.kind === "insert") b = new Uint8Array([...b.subarray(0, at), ...m.bytes, ...b.subarray(at)]);
    else if (m.kind === "delete") b = new Uint8Array([...b.subarray(0, at), ...b.subarray(at + m.count)]);
    else if (b.length >= 4) new DataView(b.buffer).setUint32(Math.min(at, b.length - 4), m.value, true);
  }
  return b;
}

// Runs `fn`; anything thrown must be a FormatError. A hang, or work that grows past linear, shows
// as the test running out of its time (a bound on the whole property, not on the clock per case:
// a per-case limit would fail on a busy machine, not on a slow reader).
function onlyFormatErrors(fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    if (!isFormatError(e)) throw e;
  }
}

function readInSteps(bytes: Uint8Array): Uint8Array[] {
  const steps = readContainerInSteps(bytes.length);
  let step = steps.next();
  while (!step.done) {
    const { position, into } = step.value;
    const part = bytes.subarray(position, position + into.length);
    into.set(part);
    step = steps.next(part.length);
  }
  return step.value;
}

// TRT_FUZZ_RUNS=20000 for a longer local run; CI keeps the default short.
const RUNS = { numRuns: Number(process.env.TRT_FUZZ_RUNS ?? 400) };

describe("fuzz", () => {
  const container = encodeContainer(sampleEngine(pattern(300)));
  const pickles = [
    writePickledTuple(sampleEngine(pattern(300)), { protocol: 2 }),
    writePickledTuple(sampleEngine(pattern(300)), { protocol: 4, engineAs: "base64" }),
    writePickledTuple(sampleEngine(pattern(300)), { protocol: 5, shape: "extra_state" }),
  ];

  it("mutated containers: decodeContainer and the stepwise reader only throw FormatErrors", () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (ms) => {
        const bytes = mutate(container, ms);
        onlyFormatErrors(() => decodeContainer(bytes));
        onlyFormatErrors(() => readInSteps(bytes));
        onlyFormatErrors(() => decodeContainer(bytes, { verifyChecksum: false }));
      }),
      RUNS,
    );
  });

  it("a single flipped bit anywhere in a container is always detected", () => {
    fc.assert(
      fc.property(fc.nat({ max: container.length - 1 }), fc.integer({ min: 0, max: 7 }), (at, bit) => {
        const bytes = container.slice();
        flip(bytes, at, 1 << bit);
        expect(() => decodeContainer(bytes)).toThrow();
      }),
      RUNS,
    );
  });

  it("mutated pickles: readPickledTuple only throws FormatErrors; decodeMetadata never throws", () => {
    fc.assert(
      fc.property(fc.nat({ max: pickles.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 }), (which, ms) => {
        const bytes = mutate(pickles[which] as Uint8Array, ms);
        onlyFormatErrors(() => readPickledTuple(bytes));
        onlyFormatErrors(() => unpickle(bytes, { mode: "describe" }));
        const view = decodeMetadata(base64Encode(bytes));
        expect(view.status).toBe(bytes.length === 0 ? "empty" : view.error === null ? "decoded" : "error");
      }),
      RUNS,
    );
  });

  it("random opcode soup after a PROTO header", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.integer({ min: 2, max: 5 }), (body, p) => {
        const bytes = new Uint8Array([0x80, p, ...body]);
        onlyFormatErrors(() => readPickledTuple(bytes));
        expect(() => decodeMetadata(base64Encode(bytes))).not.toThrow();
      }),
      RUNS,
    );
  });

  it("arbitrary tuples of strings and bytes", () => {
    const slot = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom("10", "5", "0", "1", "0%9%0%0%X", "a@b@user"), fc.uint8Array({ maxLength: 8 }));
    fc.assert(
      fc.property(fc.array(slot, { maxLength: 14 }), (raw) => onlyFormatErrors(() => decodeTuple(raw))),
      RUNS,
    );
  });

  it("decodeMetadata never throws, whatever the string", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 100 }), (s) => {
        expect(() => decodeMetadata(s)).not.toThrow();
      }),
      RUNS,
    );
  });
});

describe("fuzz: torch archives", () => {
  const engine = sampleEngine(pattern(300));
  const torchscript = writeTestZip([
    { name: "m/data.pkl", data: enginePickle(base64Slots(engine)) },
    { name: "m/code/__torch__/m.py", data: new TextEncoder().encode("class M: pass\n") },
  ]);
  const exported = writeTestZip([
    { name: "m/archive_format", data: new TextEncoder().encode("pt2") },
    { name: "m/data/constants/model_constants_config.json", data: new TextEncoder().encode('{"config": {"_run_on_acc_0.engine": {"path_name": "custom_obj_0", "use_pickle": true}}}') },
    { name: "m/data/constants/custom_obj_0", data: writeTestZip([{ name: "archive/data.pkl", data: enginePickle(base64Slots(engine)) }]) },
  ]);

  it("the unmutated archives read back the engine (so the property below exercises real parsing)", () => {
    expect(readEngineBytes(torchscript).value).toEqual(engine);
    expect(readEngineBytes(exported).value).toEqual(engine);
  });

  it("mutated archives: the model-file reader only throws FormatErrors, with and without CRC checks", () => {
    fc.assert(
      fc.property(fc.boolean(), fc.array(mutation, { minLength: 1, maxLength: 4 }), (ep, ms) => {
        const bytes = mutate(ep ? exported : torchscript, ms);
        onlyFormatErrors(() => readEngineBytes(bytes));
        onlyFormatErrors(() => readEngineBytes(bytes, { verifyChecksum: false }));
      }),
      RUNS,
    );
  });
});
