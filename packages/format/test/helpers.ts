// Shared test values and small utilities.
import { createSerializedEngine, FormatError, type FormatErrorCode, type SerializedEngine } from "../src/index.js";
import { expect } from "vitest";

/** A deterministic engine byte pattern of `n` bytes (every byte value occurs). */
export function pattern(n: number, seed = 7): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

/** A fully populated value: every field differs from its default. */
export function sampleEngine(engine: Uint8Array = pattern(4096)): SerializedEngine {
  return createSerializedEngine({
    abiVersion: "10", // every field set: only ABI 10 carries them all
    name: "resnet_engine",
    device: { gpuId: 1, smMajor: 9, smMinor: 0, deviceType: 0, deviceName: "NVIDIA H100 80GB HBM3" },
    engine,
    inputBindingNames: ["x", "cache_in"],
    outputBindingNames: ["y", "cache_out"],
    hardwareCompatible: true,
    metadata: "gAR9lC4=", // base64 of pickle.dumps({}) at protocol 4
    targetPlatform: "linux_x86_64",
    requiresOutputAllocator: true,
    resourceAllocationStrategy: "dynamic",
    requiresNativeMultiDevice: true,
    aliasedIO: [{ output: "cache_out", input: "cache_in", kind: "kv_cache_update" }],
  });
}

/** The canonical ABI 10 tuple of {@link sampleEngine}, slot by slot. */
export function sampleRawTuple(engine: Uint8Array = pattern(4096)): Array<string | Uint8Array> {
  return [
    "10",
    "resnet_engine",
    "1%9%0%0%NVIDIA H100 80GB HBM3",
    engine,
    "x%cache_in",
    "y%cache_out",
    "1",
    "gAR9lC4=",
    "linux_x86_64",
    "1",
    "1",
    "1",
    "cache_out@cache_in@kv_cache_update",
  ];
}

/** Runs `fn`, expecting a FormatError with `code`; returns it for further checks. */
export function expectFormatError(fn: () => unknown, code: FormatErrorCode): FormatError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught, `expected a FormatError ${code}`).toBeInstanceOf(FormatError);
  expect((caught as FormatError).code).toBe(code);
  return caught as FormatError;
}

/** Same as {@link expectFormatError} for promises. */
export async function expectFormatErrorAsync(p: Promise<unknown>, code: FormatErrorCode): Promise<FormatError> {
  const caught = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(caught, `expected a FormatError ${code}`).toBeInstanceOf(FormatError);
  expect((caught as FormatError).code).toBe(code);
  return caught as FormatError;
}

/** Lowercase hex of bytes. */
export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");
}

/** The latin-1 string whose char codes are `bytes` (how ABI 2/3 engines were pickled). */
export function latin1(bytes: Uint8Array): string {
  return String.fromCharCode(...bytes);
}

/** Fast byte equality (vitest's deep equality walks typed arrays element by element). */
export function expectSameBytes(actual: Uint8Array, expected: Uint8Array): void {
  const a = Buffer.from(actual.buffer, actual.byteOffset, actual.byteLength);
  const b = Buffer.from(expected.buffer, expected.byteOffset, expected.byteLength);
  if (a.equals(b)) return;
  let i = 0;
  while (i < Math.min(a.length, b.length) && a[i] === b[i]) i++;
  expect.fail(`bytes differ: lengths ${a.length} vs ${b.length}, first difference at ${i}`);
}

/** XORs `mask` into `bytes[at]` (a one-bit corruption when mask is a power of two). */
export function flip(bytes: Uint8Array, at: number, mask = 1): void {
  bytes[at] = (bytes[at] as number) ^ mask;
}
