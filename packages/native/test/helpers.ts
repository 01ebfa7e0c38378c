/**
 * Shared test scaffolding: emulator fixtures, a backend per TensorRT major,
 * and a small runner that moves host arrays through backend.memory and one
 * execute() call, the way the runtime will.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { buildFixtures, emulatorLibraryPath, type FixtureSet } from "@trt/emulator";

import { loadNative, packInputShapes } from "../src/index.js";
import type { NativeBackend, NativeEngine, NativeExecutionContext, TrtDataType } from "../src/index.js";

export const MAJORS = [10, 11] as const;
export type Major = (typeof MAJORS)[number];

let fixtureSet: FixtureSet | undefined;

/** Every emulator fixture plan, written once per test process into a temp dir. */
export function fixtures(): FixtureSet {
  fixtureSet ??= buildFixtures(mkdtempSync(join(tmpdir(), "trt-native-fixtures-")));
  return fixtureSet;
}

export function plan(name: string): Uint8Array {
  const file = fixtures().plans[name];
  if (!file) throw new Error(`no fixture ${name}`);
  return readFileSync(file);
}

export function invalidPlan(name: string): Uint8Array {
  const file = fixtures().invalid[name];
  if (!file) throw new Error(`no invalid fixture ${name}`);
  return readFileSync(file);
}

export function libraryPath(major: Major): string {
  return emulatorLibraryPath(major);
}

export function backendFor(major: Major): NativeBackend {
  return loadNative({ nvinferPath: libraryPath(major) }).backend;
}

export type HostArray =
  | Float32Array
  | Uint16Array
  | Int8Array
  | Uint8Array
  | Int32Array
  | BigInt64Array;

const ARRAYS: Record<string, { new (n: number): HostArray; BYTES_PER_ELEMENT: number }> = {
  float: Float32Array,
  half: Uint16Array,
  bf16: Uint16Array,
  int8: Int8Array,
  uint8: Uint8Array,
  bool: Uint8Array,
  int32: Int32Array,
  int64: BigInt64Array,
};

export function arrayFor(dtype: TrtDataType, count: number): HostArray {
  const ctor = ARRAYS[dtype];
  if (!ctor) throw new Error(`no host array type for ${dtype}`);
  return new ctor(count);
}

export const volume = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

export interface RunInput {
  readonly shape: readonly number[];
  readonly data: HostArray;
}

/**
 * Runs one inference: allocates every tensor from backend.memory, copies the
 * inputs in, executes with executeSync, copies the outputs out, frees.
 */
export function run(
  backend: NativeBackend,
  engine: NativeEngine,
  context: NativeExecutionContext,
  inputs: Record<string, RunInput>,
): Record<string, { shape: number[]; data: HostArray }> {
  const { memory } = backend;
  const io = engine.info.io;
  const inputSpecs = io.filter((t) => t.mode === "input");
  const outputSpecs = io.filter((t) => t.mode === "output");
  const inputShapes = packInputShapes(
    inputSpecs.map((t) => {
      const input = inputs[t.name];
      if (!input) throw new Error(`missing input ${t.name}`);
      return input.shape;
    }),
  );
  const outputShapes = context.inferOutputShapes(inputShapes);
  const addresses = new Float64Array(io.length);
  const outputs: Record<string, { shape: number[]; data: HostArray }> = {};
  try {
    io.forEach((t, i) => {
      if (t.mode === "input") {
        const input = inputs[t.name] as RunInput;
        addresses[i] = memory.alloc(input.data.byteLength);
        memory.copyHostToDevice(addresses[i] as number, input.data);
      } else {
        const shape = outputShapes[outputSpecs.indexOf(t)] as number[];
        const data = arrayFor(t.dtype, volume(shape));
        outputs[t.name] = { shape, data };
        addresses[i] = memory.alloc(data.byteLength);
      }
    });
    context.executeSync({ inputShapes, addresses, stream: 0 });
    io.forEach((t, i) => {
      const out = outputs[t.name];
      if (out) memory.copyDeviceToHost(out.data, addresses[i] as number);
    });
  } finally {
    for (const a of addresses) if (a !== 0) memory.free(a);
  }
  return outputs;
}

/** The error a function throws (fails the test if it does not throw). */
export function thrown(fn: () => unknown): Error & Record<string, unknown> {
  try {
    fn();
  } catch (e) {
    return e as Error & Record<string, unknown>;
  }
  throw new Error("expected a throw");
}

export async function rejected(p: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await p;
  } catch (e) {
    return e as Error & Record<string, unknown>;
  }
  throw new Error("expected a rejection");
}
