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

export class FfiOutputAllocator {
  private readonly object: CallerObject;
  private error: unknown = undefined;

  constructor(table: AbiTable, tensorName: string, hooks: OutputAllocatorHooks) {
    const reallocate = (current: number, bytes: number | bigint, alignment: number | bigint, stream: number): number => {
      try {
        return hooks.reallocate(tensorName, current, Number(bytes), Number(alignment), stream);
      } catch (error) {
        this.error ??= error;
        return 0;
      }
    };
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
      notifyShape: (_name: string, dims: number) => {
        try {
          hooks.notifyShape(tensorName, readDimsAt(dims));
        } catch (error) {
          this.error ??= error;
        }
      },
    });
  }

  get address(): number {
    return this.object.address;
  }

  takeError(): unknown {
    const e = this.error;
    this.error = undefined;
    return e;
  }

  release(): void {
    this.object.release();
  }
}
