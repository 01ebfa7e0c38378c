/**
 * Do lanes scale? Throughput of `run()` with N requests in flight on a module
 * allowed N at once, on an engine whose device time far exceeds its host time
 * while leaving the GPU mostly idle: the emulator's `busywait` fixture (three
 * layers spinning 200, 500 and 1000 µs in one GPU thread each). The target is
 * N lanes ≥ 0.8 × N × one lane.
 *
 *   node --import tsx src/lanes.ts [requests per level]
 *
 * On a GPU, build the emulator with its CUDA backend and select it
 * (TRT_EMU_CUDA=ON, TRT_EMULATOR_MODE=cuda): the waits then run as kernels on
 * each lane's stream. Figures from the emulator are about the runtime's lanes,
 * never about TensorRT.
 */
import { buildPlan, emulatorLibraryPath, FIXTURES } from "@trt/emulator";
import { TensorRTEnvironment } from "@trt/runtime";
import type { EngineImplementation } from "@trt/runtime";

import type { BenchCase } from "./cases.js";
import { measureThroughput } from "./throughput.js";

const requests = Number(process.argv[2] ?? 200);
const environment = new TensorRTEnvironment({ nvinferPath: process.env.TRT_NVINFER_PATH ?? emulatorLibraryPath(10) });
const busywait: BenchCase = { id: "busywait", fixture: "busywait", what: "three layers spinning 200 + 500 + 1000 µs", shapeSets: [{ x: [4] }] };
const plan = buildPlan(FIXTURES.busywait!);
const dtypes = Object.fromEntries(FIXTURES.busywait!.inputs.map((i) => [i.name, i.dtype]));
const implementations: EngineImplementation[] = environment.nativeAvailability().available ? ["native", "ffi"] : ["ffi"];
const layer = environment.deviceLayer;
const emulator = environment.library.emulator;
console.log(
  `lanes on ${layer.kind === "cuda" ? layer.properties(0).name : "the host (no GPU)"}, ${emulator ? `TensorRT emulator in ${emulator.mode} mode` : "TensorRT"}; ${requests} requests per level`,
);
console.log("| engine | in flight | req/s | × one lane | target ≥ 0.8 × N | mean latency µs | peak in flight |");
console.log("| --- | ---: | ---: | ---: | --- | ---: | ---: |");
for (const implementation of implementations) {
  let one = 0;
  for (const inFlight of [1, 2, 4, 8]) {
    const row = await measureThroughput(environment, plan, busywait, dtypes, implementation, inFlight, requests);
    if (inFlight === 1) one = row.requestsPerSecond;
    const scale = row.requestsPerSecond / one;
    const met = scale >= 0.8 * inFlight ? "met" : "missed";
    console.log(
      `| ${implementation} | ${inFlight} | ${row.requestsPerSecond.toFixed(0)} | ${scale.toFixed(2)} | ${(0.8 * inFlight).toFixed(1)} (${met}) | ${row.meanLatencyUs.toFixed(0)} | ${row.peakInFlight} |`,
    );
  }
}
