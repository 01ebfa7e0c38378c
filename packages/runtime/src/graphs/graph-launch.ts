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
import type { PreparedRun } from "../validation/prepare.js";
import type { RunResources } from "../run/run-resources.js";
import { copyHostInput } from "../run/copy-host-input.js";
import type { GraphRunner, OutputBuffers } from "./graph-runner.js";
import { inputBytes } from "./graph-runner.js";

/**
 * Queues one run through `runner` on the stream of `resources`, which takes
 * the run's leases and outputs (in binding order); if anything throws, the
 * caller's `resources.release()` gives them back.
 * @param reused the lane's module-owned output buffers (outputMemory "reused"): the graph writes them, and no copy is made.
 */
export function launchThroughGraph(
  runner: GraphRunner,
  run: PreparedRun,
  plan: OutputPlan,
  bindings: Bindings,
  resources: RunResources,
  reused: OutputBuffers | null = null,
): void {
  const { pool } = resources.device;
  const { stream } = resources;
  const direct = runner.bind(run, plan, reused);
  for (const input of run.inputs) {
    const bytes = inputBytes(input);
    const into = runner.address(input.spec.ioIndex);
    if (input.storage) {
      resources.hold(input.storage);
      // Direct: the graph reads the caller's tensor where it is (see GraphRunner.bind).
      if (bytes > 0 && !direct) pool.copyWithin(into, input.storage.address, bytes, stream);
    } else if (bytes > 0) {
      copyHostInput(pool, into, input.host!, stream);
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
        // The result goes back into the input's memory, as TensorRT would have written it there.
        if (bytes > 0) pool.copyWithin(input.storage.address, from, bytes, stream);
        resources.borrowedOutput(input.storage);
        continue;
      }
      copyOut(resources, from, bytes);
      continue;
    }
    const bytes = plan.bytes[out.position]!;
    if (reused) {
      // The graph wrote the lane's buffer itself (see GraphRunner.bind).
      resources.borrowedOutput(reused.storage(out.name, from, bytes));
      continue;
    }
    copyOut(resources, from, bytes);
  }
}

/** A new output of the run holding `bytes` copied from graph memory at `from`. */
function copyOut(resources: RunResources, from: number, bytes: number): void {
  const storage = resources.newOutput(bytes);
  if (bytes > 0) resources.device.pool.copyWithin(storage.address, from, bytes, resources.stream);
}
