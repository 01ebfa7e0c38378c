import { ByteWriter } from "./byte-writer.js";
import { crc32 } from "./crc32.js";
import { dtypeCode } from "./dtype.js";
import { FLAG_REQUIRES_HOST_CODE, LAYER_KIND, PLAN_MAGIC, PLAN_VERSION, PROFILING_VERBOSITY, TENSOR_ROLE } from "./format.js";
import type { ResolvedPlan } from "./resolve.js";

/**
 * Writes a resolved plan in format version 1 (layout: README.md, "Plan
 * format"). It writes what it is given without checking it: resolvePlan
 * checks, and tests use this directly to make plans the reader must refuse.
 */
export function encodePlan(plan: ResolvedPlan, options: { version?: number } = {}): Uint8Array {
  const w = new ByteWriter();
  // Header (32 bytes).
  w.bytes(new TextEncoder().encode(PLAN_MAGIC));
  w.u32(options.version ?? PLAN_VERSION);
  w.u32(plan.requiresHostCode ? FLAG_REQUIRES_HOST_CODE : 0);
  const totalAt = w.length;
  w.u64(0); // total size, patched below
  w.u32(plan.requiredMajor);
  w.u32(0);

  // Body.
  w.string(plan.name);
  w.i32(PROFILING_VERBOSITY[plan.profilingVerbosity]);
  w.u64(plan.scratchBytes);
  w.i64(plan.streamableWeightsBytes);
  w.u32(plan.tensors.length);
  for (const t of plan.tensors) {
    w.string(t.name);
    w.u32(TENSOR_ROLE[t.role]);
    w.u32(dtypeCode(t.dtype));
    w.u32(t.shape.length);
    for (const d of t.shape) w.i64(d);
  }
  w.u32(plan.profiles.length);
  for (const profile of plan.profiles) {
    for (const range of profile) {
      for (const d of range.min) w.i64(d);
      for (const d of range.opt) w.i64(d);
      for (const d of range.max) w.i64(d);
    }
  }
  w.u32(plan.layers.length);
  for (const l of plan.layers) {
    w.string(l.name);
    w.u32(LAYER_KIND[l.op]);
    w.u32(l.inputs.length);
    for (const i of l.inputs) w.u32(i);
    w.u32(1);
    w.u32(l.output);
    w.u32(l.params.length);
    w.bytes(l.params);
  }
  w.u32(plan.aliases.length);
  for (const [out, input] of plan.aliases) {
    w.u32(out);
    w.u32(input);
  }

  // Trailer: total size first, then the checksum over everything before it.
  w.patchU64(totalAt, w.length + 4);
  const body = w.finish();
  const out = new Uint8Array(body.length + 4);
  out.set(body);
  new DataView(out.buffer).setUint32(body.length, crc32(body), true);
  return out;
}
