/**
 * Finding the model a URL names: `/v2/models/{name}` is the model's one
 * version; `/v2/models/{name}/versions/{version}` must name that version.
 */
import type { ServedModel } from "../models.js";
import { unknownModel } from "../protocol/errors.js";

/** The path parameters of a model route. */
export interface ModelParams {
  readonly name: string;
  readonly version?: string;
}

/** The model `params` names; a 404 ProtocolError saying what is served instead. */
export function findModel(models: ReadonlyMap<string, ServedModel>, params: ModelParams): ServedModel {
  const model = models.get(params.name);
  if (!model) {
    const served = [...models.keys()].map((n) => `"${n}"`).join(", ");
    throw unknownModel(`model "${params.name}" is not served here; ${served === "" ? "no model is loaded" : `the models are ${served}`}`);
  }
  if (params.version !== undefined && params.version !== model.version) {
    throw unknownModel(`model "${model.name}" has no version "${params.version}"; it serves version "${model.version}"`);
  }
  return model;
}
