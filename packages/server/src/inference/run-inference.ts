/**
 * One inference request through a model, the same for REST and gRPC: the
 * model's admission gate first (a request turned away parses nothing), then
 * the request is taken apart by the caller's `prepare`, its outputs chosen,
 * its inputs decoded and checked, queued on the model's scheduler (alone or
 * in a batch), and its outputs handed to the caller's `encode`. The model's
 * statistics count it as a success or a failure with its time.
 */
import { performance } from "node:perf_hooks";
import type { ServedModel } from "../models.js";
import { decodeInputs } from "../protocol/inputs.js";
import { selectOutputs } from "../protocol/outputs.js";
import type { InferRequest } from "../protocol/request.js";
import type { Departure } from "./errors.js";
import type { HostOutput } from "../protocol/host-output.js";

/** A request as its transport parsed it: the protocol's fields, and each input's raw bytes (null for values in the request itself). */
export interface PreparedRequest {
  readonly request: InferRequest;
  readonly bytes: readonly (Buffer | null)[];
}

/** An output to answer with, and whether the REST answer carries it as binary data. */
export interface SelectedOutput {
  readonly name: string;
  readonly binary: boolean;
}

/**
 * Runs one request on `model`.
 * @param prepare takes the request apart (inside admission, so a refused request costs no parsing)
 * @param encode makes the answer from the outputs
 * @param departure told when the client goes away: a request still waiting for a run is dropped
 */
export async function runInference<T>(
  model: ServedModel,
  prepare: () => PreparedRequest,
  encode: (outputs: readonly HostOutput[], selected: readonly SelectedOutput[], request: InferRequest) => T,
  departure?: Departure,
): Promise<T> {
  return model.admission.run(async () => {
    const started = performance.now();
    try {
      const { request, bytes } = prepare();
      const described = { name: model.name, version: model.version, inputs: model.module.inputs, outputs: model.module.outputs };
      // Output names are checked before the engine runs: a typo costs no inference.
      const selected = selectOutputs(request, described);
      const inputs = decodeInputs(request.inputs, bytes, described);
      const outputs = await model.scheduler.infer({ inputs, outputs: selected.map((s) => s.name), departure, timeoutMicroseconds: request.timeoutMicroseconds });
      const answer = encode(outputs, selected, request);
      model.statistics.recordRequest(true, (performance.now() - started) * 1e6);
      return answer;
    } catch (error) {
      model.statistics.recordRequest(false, (performance.now() - started) * 1e6);
      throw error;
    }
  });
}
