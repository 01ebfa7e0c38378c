/**
 * An IOutputAllocator implemented in JS, one per output tensor. TensorRT asks
 * it for memory once it knows an output's size (reallocateOutputAsync, or the
 * deprecated reallocateOutput without a stream), then reports the real shape
 * (notifyShape). Hook exceptions return null to TensorRT (which then fails
 * the enqueue) and are rethrown by execute().
 */
import type { AbiTable } from "../abi/tables.generated.js";
import type { OutputAllocatorHooks } from "../engine/contract.js";
import { createCallerObject } from "./caller-object.js";
import type { CallerObject } from "./caller-object.js";
import { readDimsAt } from "./dims.js";
import { HookObject } from "./hook-object.js";

export class FfiOutputAllocator extends HookObject {
  protected readonly object: CallerObject;

  constructor(table: AbiTable, tensorName: string, hooks: OutputAllocatorHooks) {
    super();
    const reallocate = (current: number, bytes: number | bigint, alignment: number | bigint, stream: number): number =>
      this.guard(0, () => hooks.reallocate(tensorName, current, Number(bytes), Number(alignment), stream));
    this.object = createCallerObject(table, "IOutputAllocator", {
      reallocateOutput: (_name: string, current: number, bytes: number | bigint, alignment: number | bigint) =>
        reallocate(current, bytes, alignment, 0),
      reallocateOutputAsync: (
        _name: string,
        current: number,
        bytes: number | bigint,
        alignment: number | bigint,
        stream: number,
      ) => reallocate(current, bytes, alignment, stream),
      notifyShape: (_name: string, dims: number) => this.guard(undefined, () => hooks.notifyShape(tensorName, readDimsAt(dims))),
    });
  }
}
