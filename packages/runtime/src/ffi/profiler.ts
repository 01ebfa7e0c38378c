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
import { HookObject } from "./hook-object.js";

export class FfiProfiler extends HookObject {
  protected readonly object: CallerObject;

  constructor(table: AbiTable, hook: LayerTimeHook) {
    super();
    this.object = createCallerObject(table, "IProfiler", {
      reportLayerTime: (layerName: string | null, ms: number) => this.guard(undefined, () => hook(layerName ?? "", ms)),
    });
  }
}
