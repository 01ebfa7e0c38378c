/** The sample engine's expected outputs, from its description in examples/engines/sample.mjs. */
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { repo } from "./cli.js";

interface SampleModule {
  SAMPLE_INPUT: { dtype: "float32"; shape: number[]; data: Float32Array };
  PLAN: unknown;
  reference(x: ArrayLike<number>, batch: number): number[];
}

/** examples/engines/sample.mjs, loaded by path (it is plain JS in another workspace package). */
export const sampleModule = (await import(pathToFileURL(join(repo, "examples", "engines", "sample.mjs")).href)) as SampleModule;

/** y for the committed sample input, exact (every value is a short binary fraction). */
export const expectedY: number[] = sampleModule.reference(sampleModule.SAMPLE_INPUT.data, 2);
