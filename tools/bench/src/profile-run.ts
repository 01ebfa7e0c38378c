/**
 * One row of one case in a loop, for a CPU profile of where the host time of
 * a call goes (validation, allocation, FFI calls, synchronisation):
 *
 *   node --cpu-prof --cpu-prof-dir=prof --import tsx src/profile-run.ts nonzero native [calls]
 *
 * then open the .cpuprofile in Chrome DevTools, or summarize it with
 * `node --import tsx src/profile-summary.ts prof/<file>.cpuprofile`.
 */
import { buildPlan, emulatorLibraryPath, FIXTURES } from "@trt/emulator";
import type { EngineImplementation } from "@trt/runtime";
import { TensorRTEnvironment } from "@trt/runtime";

import { CASES } from "./cases.js";
import { makeRig } from "./ours.js";

const [caseId = "identity", implementation = "native", count = "100000", ...flags] = process.argv.slice(2);
const c = CASES.find((x) => x.id === caseId);
if (!c) throw new Error(`unknown case ${caseId}; one of ${CASES.map((x) => x.id).join(", ")}`);
const environment = new TensorRTEnvironment({ nvinferPath: process.env.TRT_NVINFER_PATH ?? emulatorLibraryPath(10) });
const dtypes = Object.fromEntries(FIXTURES[c.fixture]!.inputs.map((i) => [i.name, i.dtype]));
const rig = await makeRig(environment, buildPlan(FIXTURES[c.fixture]!), c, dtypes, implementation as EngineImplementation, {
  graphs: flags.includes("--graphs"),
  reusedOutputs: flags.includes("--reused"),
});
const calls = Number(count);
for (let i = 0; i < Math.min(calls, 10_000); i++) rig.module.runSync(rig.inputs[i % rig.inputs.length]!).dispose();
const start = process.hrtime.bigint();
for (let i = 0; i < calls; i++) rig.module.runSync(rig.inputs[i % rig.inputs.length]!).dispose();
const us = Number(process.hrtime.bigint() - start) / 1000 / calls;
console.log(`${caseId} ${implementation}${flags.length ? " " + flags.join(" ") : ""}: ${us.toFixed(2)} µs per runSync over ${calls} calls`);
rig.release();
