/**
 * An IProfiler implemented in JS: TensorRT calls reportLayerTime(layerName, ms)
 * once per layer per profiled run. Exceptions from the hook are kept and
 * rethrown by the next call that checks (reportToProfiler / execute), since
 * they cannot cross the C++ frames that called the hook.
 */
import type { AbiTable } from "../abi/tables.generated.js";
import type { LayerTimeHook } from "../engine/contract.js";
import { createCallerObject } from "./caller-object.js";
import type { CallerObject } from "./caller-object.js";

export class FfiProfiler {
  private readonly object: CallerObject;
  /** The first exception a hook threw since the last takeError(). */
  private error: unknown = undefined;

  constructor(table: AbiTable, hook: LayerTimeHook) {
    this.object = createCallerObject(table, "IProfiler", {
      reportLayerTime: (layerName: string | null, ms: number) => {
        try {
          hook(layerName ?? "", ms);
        } catch (error) {
          this.error ??= error;
        }
      },
    });
  }

  get address(): number {
    return this.object.address;
  }

  /** Returns and clears the exception a hook threw, if any. */
  takeError(): unknown {
    const e = this.error;
    this.error = undefined;
    return e;
  }

  release(): void {
    this.object.release();
  }
}
