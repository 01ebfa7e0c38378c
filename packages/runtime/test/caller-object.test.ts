/**
 * The JS-implemented C++ objects, called the way TensorRT calls them: read
 * the vptr at offset 0, take the slot the ABI table names, call it with the
 * object as `this`. koffi plays the C++ caller here.
 */
import koffi from "koffi";
import { describe, expect, it } from "vitest";
import { trt10, trt11 } from "../src/abi/tables.generated.js";
import type { AbiTable } from "../src/abi/tables.generated.js";
import { readPointer } from "../src/device/native-memory.js";
import { createCallerObject } from "../src/ffi/caller-object.js";
import { allocNative, freeNative } from "../src/device/native-memory.js";
import { FfiLogger } from "../src/ffi/logger.js";
import { InterfaceInfo } from "../src/ffi/koffi-types.js";

const P = "uintptr_t";
const protos = {
  log: koffi.proto("void", [P, "int32_t", "const char*"]),
  info: koffi.proto(InterfaceInfo, [P]),
  lang: koffi.proto("int32_t", [P]),
  dtor: koffi.proto("void", [P]),
  report: koffi.proto("void", [P, "const char*", "float"]),
  realloc: koffi.proto(P, [P, "const char*", P, "uint64_t", "uint64_t", P]),
  notify: koffi.proto("void", [P, "const char*", P]),
};

function slot(object: number, index: number): number {
  return readPointer(readPointer(object) + 8 * index);
}

describe.each([
  ["TensorRT 10", trt10 as AbiTable],
  ["TensorRT 11", trt11 as AbiTable],
])("caller objects for %s", (_label, table) => {
  it("ILogger: log lands in the sink at the table's slot; versioned slots answer", () => {
    const logger = new FfiLogger(table);
    const seen: [string, string][] = [];
    logger.setSink((s, m) => seen.push([s, m]), "info");
    const ilogger = table.callerInterfaces.ILogger;
    const logSlot = ilogger.methods.log.slot;
    expect(logSlot).toBe(table.major === 10 ? 0 : 4);
    const mark = logger.errorCount;
    koffi.call(slot(logger.address, logSlot), protos.log, logger.address, 1, "bad thing");
    koffi.call(slot(logger.address, logSlot), protos.log, logger.address, 3, "fyi");
    koffi.call(slot(logger.address, logSlot), protos.log, logger.address, 4, "chatter");
    expect(seen).toEqual([
      ["error", "bad thing"],
      ["info", "fyi"],
    ]);
    expect(logger.errorSince(mark)).toBe("bad thing");
    expect(logger.errorSince(logger.errorCount)).toBeNull();
    if (ilogger.interfaceInfo) {
      const info = koffi.call(slot(logger.address, 1), protos.info, logger.address) as { kind: number; major: number; minor: number };
      expect(koffi.decode.string(info.kind)).toBe("ILogger");
      expect([info.major, info.minor]).toEqual([1, 0]);
      expect(koffi.call(slot(logger.address, 0), protos.lang, logger.address)).toBe(0);
    }
    // Destructors are no-ops: the memory is JS's.
    koffi.call(slot(logger.address, ilogger.methods.destructor_complete.slot), protos.dtor, logger.address);
    logger.release();
  });

  it("IProfiler: reportLayerTime reaches the handler with name and time", () => {
    const got: [string, number][] = [];
    const profiler = createCallerObject(table, "IProfiler", { reportLayerTime: (n: string, ms: number) => got.push([n, ms]) });
    const s = table.callerInterfaces.IProfiler.methods.reportLayerTime.slot;
    koffi.call(slot(profiler.address, s), protos.report, profiler.address, "conv1", 1.5);
    expect(got).toEqual([["conv1", 1.5]]);
    profiler.release();
    profiler.release(); // idempotent
  });

  it("IOutputAllocator: reallocate returns the hook's address; notifyShape passes a Dims64 reference", () => {
    const calls: unknown[][] = [];
    const allocator = createCallerObject(table, "IOutputAllocator", {
      reallocateOutput: () => 0,
      reallocateOutputAsync: (name: string, cur: number, size: number, align: number, stream: number) => {
        calls.push([name, cur, size, align, stream]);
        return 0x1000;
      },
      notifyShape: (name: string, dims: number) => calls.push([name, koffi.decode.int32(dims), koffi.decode.int64(dims + 8)]),
    });
    const m = table.callerInterfaces.IOutputAllocator.methods;
    expect(koffi.call(slot(allocator.address, m.reallocateOutputAsync.slot), protos.realloc, allocator.address, "y", 0, 64, 256, 7)).toBe(0x1000);
    const dims = allocNative(72, 8);
    const view = new DataView(koffi.view(dims, 72));
    view.setInt32(0, 1, true);
    view.setBigInt64(8, 5n, true);
    koffi.call(slot(allocator.address, m.notifyShape.slot), protos.notify, allocator.address, "y", dims);
    freeNative(dims);
    expect(calls).toEqual([
      ["y", 0, 64, 256, 7],
      ["y", 1, 5],
    ]);
    const info = koffi.call(slot(allocator.address, 1), protos.info, allocator.address) as { kind: number };
    expect(koffi.decode.string(info.kind)).toBe("IOutputAllocator");
    allocator.release();
  });
});
