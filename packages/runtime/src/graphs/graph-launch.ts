/**
 * One run through a CUDA graph, as the executor launches it: bind the
 * graph's buffers, copy the user's inputs in (device to device, or straight
 * from JS memory; device inputs the graph reads in place are not copied, see
 * GraphRunner.bind), replay or capture (graph-runner.ts), and copy each output
 * out into memory of its own from the pool. All of it is queued on the
 * module's stream, so nothing waits here, and a second run queued behind
 * this one cannot touch the buffers before this one's copies are done.
 *
 * Outputs come back exactly as plain enqueue returns them: owned tensors
 * (or, with outputMemory "reused", the lane's buffers, which the graph
 * writes directly, so nothing is copied out),
 * and for an output that aliases a device input, a view of that input's
 * memory (the result is copied back into it, as TensorRT would have written
 * it there).
 */
import type { Bindings } from "../validation/bindings.js";
import type { OutputPlan } from "../validation/output-plan.js";
import type { ComputeDevice } from "../placement/compute-device.js";
import { DeviceStorage } from "../tensor/storage.js";
import type { Lease } from "../tensor/storage.js";
import type { GraphRunner, OutputBuffers } from "./graph-runner.js";
import type { PreparedRun } from "../validation/prepare.js";
import { inputBytes } from "./graph-runner.js";

/** What a graph run hands the executor: output storages in binding order, and leases on device inputs until the run is done. */
export interface GraphLaunch {
  readonly storages: DeviceStorage[];
  readonly holds: Lease[];
}

/**
 * Queues one run through `runner` on `stream`. Gives back what it allocated if anything throws.
 * @param reused the lane's module-owned output buffers (outputMemory "reused"): the graph writes them, and no copy is made.
 */
export function launchThroughGraph(
  runner: GraphRunner,
  run: PreparedRun,
  plan: OutputPlan,
  bindings: Bindings,
  device: ComputeDevice,
  stream: number,
  reused: OutputBuffers | null = null,
): GraphLaunch {
  const pool = device.pool;
  const holds: Lease[] = [];
  const storages: DeviceStorage[] = [];
  try {
    const direct = runner.bind(run, plan, reused);
    for (const input of run.inputs) {
      const bytes = inputBytes(input);
      const into = runner.address(input.spec.ioIndex);
      if (input.storage) {
        holds.push(input.storage.lease());
        // Direct: the graph reads the caller's tensor where it is (see GraphRunner.bind).
        if (bytes > 0 && !direct) pool.copyWithin(into, input.storage.address, bytes, stream);
      } else if (bytes > 0) {
        pool.copyIn(into, input.host!, stream);
      }
    }
    runner.execute(run);
    for (const out of bindings.outputs) {
      const source = out.aliasedInput === null ? undefined : bindings.get(out.aliasedInput);
      const from = runner.address(out.ioIndex);
      if (source) {
        const input = run.inputs[source.position]!;
        const bytes = inputBytes(input);
        if (input.storage) {
          if (bytes > 0) pool.copyWithin(input.storage.address, from, bytes, stream);
          storages.push(input.storage);
          continue;
        }
        storages.push(copyOut(device, from, bytes, stream));
        continue;
      }
      const bytes = plan.bytes[out.position]!;
      if (reused) {
        // The graph wrote the lane's buffer itself (see GraphRunner.bind).
        storages.push(reused.storage(out.name, from, bytes));
        continue;
      }
      storages.push(copyOut(device, from, bytes, stream));
    }
  } catch (error) {
    for (const s of storages) if (s.owned && !run.inputs.some((i) => i.storage === s)) pool.free(s.address, stream);
    for (const h of holds) h.release();
    throw error;
  }
  return { storages, holds };
}

/** A new owned allocation holding `bytes` copied from graph memory at `from`. */
function copyOut(device: ComputeDevice, from: number, bytes: number, stream: number): DeviceStorage {
  const address = device.pool.alloc(bytes, stream);
  if (bytes > 0) device.pool.copyWithin(address, from, bytes, stream);
  return new DeviceStorage(device, address, bytes, true, stream);
}
