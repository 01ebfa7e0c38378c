/**
 * Builds test/support/fake-cudart.c into a shared library with the C
 * compiler (cc, or $CC) and binds its test controls. The library stands in
 * for libcudart where the device layer's waits are tested without a GPU.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import koffi from "koffi";

const source = fileURLToPath(new URL("./fake-cudart.c", import.meta.url));

export interface FakeCuda {
  /** Path of the built library: CudaDevice's `path` option. */
  readonly path: string;
  /** Queues `micros` of "GPU work" on the stream. */
  enqueueWork(stream: number, micros: number): void;
  /** From this point in the stream on, the stream is in error `code`: events report it, host functions are not run. */
  failStream(stream: number, code: number): void;
  /** While on, the stream starts nothing queued on it, as if its earlier work had not ended yet. */
  gateStream(stream: number, on: boolean): void;
  /** Work items the stream has finished. */
  completed(stream: number): number;
  /** While on, host functions are skipped, as a broken context would skip them. */
  dropHostFunctions(drop: boolean): void;
  /** While on, host functions queued meanwhile wait before they run (their streams wait with them), as a slow CUDA would make them. */
  holdHostFunctions(hold: boolean): void;
  /** Host functions queued while held that have run so far (earlier ones are not counted, wherever they are). */
  heldHostFunctionsRun(): number;
}

/** Compiles the library into a fresh temporary folder (once per call). */
export function buildFakeCuda(): FakeCuda {
  const dir = mkdtempSync(join(tmpdir(), "trt-fake-cudart-"));
  const path = join(dir, "libfakecudart.so");
  execFileSync(process.env.CC ?? "cc", ["-shared", "-fPIC", "-O1", "-o", path, source, "-lpthread"], { stdio: "pipe", timeout: 120_000 });
  const lib = koffi.load(path);
  const enqueue = lib.func("void fake_enqueue_work(uintptr_t, long)");
  const fail = lib.func("void fake_fail_stream(uintptr_t, int)");
  const completed = lib.func("long fake_completed(uintptr_t)");
  const gate = lib.func("void fake_gate_stream(uintptr_t, int)");
  const drop = lib.func("void fake_drop_host_funcs(int)");
  const hold = lib.func("void fake_hold_host_funcs(int)");
  const heldRuns = lib.func("long fake_held_host_funcs_run()");
  return {
    path,
    enqueueWork: (stream, micros) => enqueue(stream, micros),
    failStream: (stream, code) => fail(stream, code),
    gateStream: (stream, on) => gate(stream, on ? 1 : 0),
    completed: (stream) => Number(completed(stream)),
    dropHostFunctions: (on) => drop(on ? 1 : 0),
    holdHostFunctions: (on) => hold(on ? 1 : 0),
    heldHostFunctionsRun: () => Number(heldRuns()),
  };
}
