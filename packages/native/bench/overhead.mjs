#!/usr/bin/env node
// Per-call host overhead of the addon's execute() over enqueueV3 called in a
// C++ loop, on the emulator's identity fixture in host mode (no GPU: what is
// left is the cost of getting from JS to TensorRT and back).
//
//   node bench/overhead.mjs            full run (~10 s)
//   BENCH_QUICK=1 node bench/overhead.mjs
//   BENCH_OUT=file.json                also write the JSON there
//
// Prints a table, then one JSON line. Runs on the benchmark build of the addon
// (build/bench/trt_native_bench.node: the addon plus bench/cpp's benchRawEnqueue,
// which the published addon does not carry; `pnpm bench` builds it first) and
// needs a built emulator (turbo's `bench` task builds it).
import { writeFileSync } from "node:fs";
import { cpus } from "node:os";

import { buildPlan, emulatorLibraryPath, FIXTURES } from "@trt/emulator";

import { loadNative } from "../dist/index.js";

const benchAddon = new URL("../build/bench/trt_native_bench.node", import.meta.url).pathname;

const quick = process.env.BENCH_QUICK === "1";
const iterations = quick ? 20_000 : 200_000;
const repeats = quick ? 3 : 7;
const majors = quick ? [10] : [10, 11];

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

// Each case has its own loop (not a shared timing helper calling a callback):
// a shared call site goes polymorphic and makes whichever case runs first look
// faster or slower than it is.
function perCall(loop, n) {
  const start = process.hrtime.bigint();
  loop(n);
  return Number(process.hrtime.bigint() - start) / n;
}

async function timeJsAsync(fn, n) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await fn(i);
  return Number(process.hrtime.bigint() - start) / n;
}

async function benchMajor(major) {
  const { backend, addon } = loadNative({ addonPath: benchAddon, nvinferPath: emulatorLibraryPath(major) });
  const engine = backend.deserializeSync(buildPlan(FIXTURES.identity_f32));
  const context = engine.createContext("static");
  const { memory } = backend;
  const x = memory.alloc(24);
  const y = [memory.alloc(24), memory.alloc(24)];
  const request = { inputShapes: new Float64Array([2, 2, 3]), addresses: new Float64Array([x, y[0]]), stream: 0 };
  const alternating = [
    { inputShapes: request.inputShapes, addresses: new Float64Array([x, y[0]]), stream: 0 },
    { inputShapes: request.inputShapes, addresses: new Float64Array([x, y[1]]), stream: 0 },
  ];

  const cases = {
    // Baselines: the emulator's own cost.
    "raw enqueueV3 (C++ loop)": () => addon.benchRawEnqueue(context, iterations).nsPerCall,
    "raw set shapes+addresses+enqueueV3 (C++ loop)": () =>
      addon.benchRawEnqueue(context, iterations, { rebind: true }).nsPerCall,
    // The addon from JS.
    "execute(), same request": () =>
      perCall((n) => {
        for (let i = 0; i < n; i++) context.execute(request);
      }, iterations),
    "execute(), new output address each call": () =>
      perCall((n) => {
        for (let i = 0; i < n; i++) context.execute(alternating[i & 1]);
      }, iterations),
    "executeSync(), same request": () =>
      perCall((n) => {
        for (let i = 0; i < n; i++) context.executeSync(request);
      }, iterations),
  };
  context.execute(request); // bind once so the raw loops run on a bound context
  for (const run of Object.values(cases)) run(); // warm up (JIT, caches)

  // Rounds of every case in turn, so drift (other load, frequency) spreads
  // over all cases instead of landing on one.
  const samples = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
  const asyncName = "await executeAsync()";
  samples[asyncName] = [];
  const asyncN = Math.floor(iterations / 10);
  for (let r = 0; r < repeats; r++) {
    for (const [name, run] of Object.entries(cases)) samples[name].push(run());
    // Promise round trip per inference (host mode settles without a thread hop).
    samples[asyncName].push(await timeJsAsync(() => context.executeAsync(request), asyncN));
  }
  const results = Object.fromEntries(
    Object.entries(samples).map(([name, xs]) => [name, { nsPerCall: median(xs), min: Math.min(...xs), samples: xs }]),
  );

  const raw = results["raw enqueueV3 (C++ loop)"].nsPerCall;
  const rawRebind = results["raw set shapes+addresses+enqueueV3 (C++ loop)"].nsPerCall;
  for (const r of Object.values(results)) {
    r.overVsRawNs = r.nsPerCall - raw;
    r.overVsRawRebindNs = r.nsPerCall - rawRebind;
  }
  memory.free(x);
  for (const p of y) memory.free(p);
  context.release();
  engine.release();
  return { major, library: backend.library.path, emulator: backend.library.emulator, results };
}

const report = {
  bench: "native-execute-overhead",
  fixture: "identity_f32 ([2,3] float32, 1 layer)",
  node: process.version,
  cpu: cpus()[0]?.model ?? "unknown",
  cores: cpus().length,
  quick,
  iterations,
  repeats,
  majors: [],
};
for (const major of majors) report.majors.push(await benchMajor(major));

for (const m of report.majors) {
  console.log(`\nTensorRT ${m.major} emulator (${m.emulator?.mode} mode), ${iterations} calls x ${repeats} runs, median ns/call`);
  console.table(
    Object.fromEntries(
      Object.entries(m.results).map(([name, r]) => [
        name,
        { "ns/call": Math.round(r.nsPerCall), "min ns": Math.round(r.min), "vs raw enqueue": Math.round(r.overVsRawNs), "vs raw rebind": Math.round(r.overVsRawRebindNs) },
      ]),
    ),
  );
}
const json = JSON.stringify(report);
if (process.env.BENCH_OUT) writeFileSync(process.env.BENCH_OUT, json + "\n");
console.log(json);
