// Finding Torch-TensorRT engines in an unpickled torch object graph. In every file
// torch writes (TorchScript's data.pkl, an ExportedProgram's custom objects, a
// torch.save pickle) an engine is an instance of the TorchScript class
// `torch.classes.tensorrt.Engine` whose pickled state is the serialized tuple: a
// list of str, wrapped by TorchScript in `torch.jit._pickle.restore_type_tag(list,
// "List[str]")`. The pickle is read as data only (see ../pickle/reader.ts).

import { fail } from "../errors.js";
import { describe } from "../pickle/reader.js";
import { PyDict, PyGlobal, PyObject, PyTuple, type PyValue } from "../pickle/values.js";
import { Utf8Text } from "../text.js";
import type { SlotInput } from "../tuple.js";

/** An engine object and where it sits in the graph ("_run_on_acc_0.engine"). */
export interface EngineObject {
  /** Attribute path from the pickle's top object; "" for the top object itself. */
  path: string;
  /** The state: the engine tuple's slots. */
  slots: SlotInput[];
}

/** True for the TorchScript class Torch-TensorRT registers its engine as. */
export function isEngineClass(callee: PyValue): boolean {
  if (!(callee instanceof PyGlobal) || callee.name !== "Engine") return false;
  // TorchScript pickles name it `__torch__.torch.classes.tensorrt`; torch.save, `torch.classes.tensorrt`.
  return callee.module === "torch.classes.tensorrt" || callee.module === "__torch__.torch.classes.tensorrt";
}

function engineSlots(engine: PyObject, path: string): SlotInput[] {
  let state = engine.state;
  if (state instanceof PyObject && state.callee instanceof PyGlobal && state.callee.qualifiedName === "torch.jit._pickle.restore_type_tag") {
    state = state.args[0];
  }
  const items = Array.isArray(state) ? state : state instanceof PyTuple ? state.items : undefined;
  if (items === undefined || items.length === 0 || !items.every((s) => typeof s === "string" || s instanceof Utf8Text || s instanceof Uint8Array)) {
    return fail(
      "BAD_PICKLE_SHAPE",
      `the TensorRT engine at ${JSON.stringify(path)} to hold its serialized tuple (a list of str)`,
      describe(state),
      "The archive was written by a Torch-TensorRT this reader does not know; re-save it, or extract the engine with Torch-TensorRT.",
    );
  }
  return items as SlotInput[];
}

const join = (path: string, key: string | number): string => (path === "" ? String(key) : `${path}.${key}`);

/**
 * Every engine object reachable from `root`, in the order a depth-first walk of
 * the pickle meets them (for TorchScript, the module's attribute order). Objects
 * shared through the pickle memo are visited once.
 */
export function findEngineObjects(root: PyValue): EngineObject[] {
  const found: EngineObject[] = [];
  const seen = new Set<object>();
  const pending: Array<[PyValue, string]> = [[root, ""]];
  while (pending.length > 0) {
    const [value, path] = pending.pop() as [PyValue, string];
    if (value === null || typeof value !== "object" || value instanceof Uint8Array || value instanceof Utf8Text || value instanceof PyGlobal) continue;
    if (seen.has(value)) continue;
    seen.add(value);
    // Children are pushed in reverse so they are visited in pickle order.
    const children: Array<[PyValue, string]> = [];
    if (value instanceof PyObject) {
      if (isEngineClass(value.callee)) {
        found.push({ path, slots: engineSlots(value, path) });
        continue;
      }
      if (value.state !== undefined) children.push([value.state, path]);
      value.listItems.forEach((v, i) => children.push([v, join(path, i)]));
      for (const [k, v] of value.dictItems) children.push([v, typeof k === "string" ? join(path, k) : path]);
      for (const a of value.args) children.push([a, path]);
    } else if (value instanceof PyDict) {
      for (const [k, v] of value.entries) children.push([v, typeof k === "string" || typeof k === "number" ? join(path, k) : path]);
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => children.push([v, join(path, i)]));
    } else if (value instanceof PyTuple) {
      value.items.forEach((v, i) => children.push([v, join(path, i)]));
    }
    for (let i = children.length - 1; i >= 0; i--) pending.push(children[i] as [PyValue, string]);
  }
  return found;
}
