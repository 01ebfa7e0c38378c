/**
 * What the ffi engine costs per call, on the host emulator (no GPU needed):
 * a bare vtable call, execute() (the hot path), inferOutputShapes(), and
 * deserialization. Run: pnpm --filter @trt/runtime bench
 */
import { buildPlan, emulatorLibraryPath, FIXTURES } from "@trt/emulator";
import { HostDevice } from "../src/device/index.js";
import { FfiBackend } from "../src/ffi/index.js";
import type { FfiEngine } from "../src/ffi/index.js";
import { ClassBinding } from "../src/ffi/vtable.js";

function measure(label: string, iterations: number, fn: (i: number) => void): number {
  for (let i = 0; i < Math.min(iterations, 20_000); i++) fn(i);
  const start = performance.now();
  for (let i = 0; i < iterations; i++) fn(i);
  const ns = ((performance.now() - start) * 1e6) / iterations;
  console.log(`  ${label.padEnd(52)} ${ns.toFixed(0).padStart(7)} ns`);
  return ns;
}

const device = new HostDevice();
const plan = (name: string) => buildPlan(FIXTURES[name]!);

for (const major of [10, 11] as const) {
  const backend = new FfiBackend({ path: emulatorLibraryPath(major) });
  console.log(`TensorRT ${major} emulator (${backend.library.emulator?.mode} mode), Node ${process.version}`);
  const engine = (await backend.deserialize(plan("add_dynamic"))) as FfiEngine;
  const binding = new ClassBinding(backend.loaded.table, backend.loaded.version, "VCudaEngine");
  const getNbIOTensors = binding.method(engine.impl, "getNbIOTensors");
  measure("vtable call, no arguments (getNbIOTensors)", 1_000_000, () => getNbIOTensors(engine.impl));
  const getTensorDataType = binding.method(engine.impl, "getTensorDataType");
  const name = engine.nameAddresses[0]!;
  measure("vtable call, name argument (getTensorDataType)", 1_000_000, () => getTensorDataType(engine.impl, name));

  const context = engine.createContext("static");
  const a = device.alloc(8 * 16);
  const b = device.alloc(8 * 16);
  const sum = device.alloc(8 * 16);
  const sum2 = device.alloc(8 * 16);
  const shapes = new Float64Array([2, 2, 4, 2, 2, 4]);
  const same = { inputShapes: shapes, addresses: new Float64Array([a, b, sum]), stream: 0 };
  const other = { inputShapes: shapes, addresses: new Float64Array([a, b, sum2]), stream: 0 };
  measure("execute add_dynamic [2,4]+[2,4], same addresses", 200_000, () => context.execute(same));
  measure("execute, output address alternating", 200_000, (i) => context.execute(i & 1 ? other : same));
  measure("inferOutputShapes", 200_000, () => context.inferOutputShapes(shapes));

  const mlp = plan("mlp3");
  const t0 = performance.now();
  for (let i = 0; i < 200; i++) (await backend.deserialize(mlp)).release();
  console.log(`  ${"deserialize mlp3 on a worker + release".padEnd(52)} ${(((performance.now() - t0) * 1000) / 200).toFixed(0).padStart(7)} us`);
  const sync = new FfiBackend({ path: emulatorLibraryPath(major), asyncDeserialize: false });
  const t1 = performance.now();
  for (let i = 0; i < 200; i++) (await sync.deserialize(mlp)).release();
  console.log(`  ${"deserialize mlp3 on the JS thread + release".padEnd(52)} ${(((performance.now() - t1) * 1000) / 200).toFixed(0).padStart(7)} us`);
  engine.release();
  for (const p of [a, b, sum, sum2]) device.free(p);
}
