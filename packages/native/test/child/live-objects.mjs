// Run by lifetime.test.ts in a child process: loads the addon through the
// package's loader only (loadAddon: the binary, and the execute methods the
// loader puts on its contexts; no TensorRT search), creates engines, contexts, hooks and a log sink, then leaves in the way
// argv[2] says, with everything still alive. The parent asserts a clean exit.
//   env: TRT_ADDON, TRT_LIB, TRT_PLAN_DIR
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { setImmediate } from "node:timers";
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";
import { loadAddon } from "../../dist/index.js";

const mode = isMainThread ? process.argv[2] : workerData.mode;
const { addon } = loadAddon({ addonPath: process.env.TRT_ADDON });
const backend = addon.openBackend({ nvinferPath: process.env.TRT_LIB });
const plan = (name) => readFileSync(join(process.env.TRT_PLAN_DIR, `${name}.plan`));

backend.setLogSink(() => {}, "verbose");
const { memory } = backend;

async function makeLiveObjects() {
  const keep = [];
  for (const name of ["identity_f32", "mlp3", "busywait", "nonzero"]) {
    const engine = await backend.deserialize(plan(name));
    const context = engine.createContext("static");
    keep.push(engine, context, engine.createContext("on_profile_change"));
  }
  const identity = keep[0];
  const context = keep[1];
  const x = memory.alloc(24);
  const y = memory.alloc(24);
  context.setProfiler(() => {});
  context.execute({ inputShapes: new Float64Array([2, 2, 3]), addresses: new Float64Array([x, y]), stream: 0 });
  // An engine released while its context lives on, and the reverse.
  const e2 = backend.deserializeSync(plan("identity_f32"));
  const c2 = e2.createContext("static");
  e2.release();
  keep.push(c2, identity.createContext("static"));
  return keep;
}

const keep = await makeLiveObjects();
globalThis.keep = keep;

switch (mode) {
  case "natural":
    break; // the event loop empties; environment teardown finalizes everything
  case "exit":
    process.exit(0);
    break;
  case "exit-during-deserialize":
    void backend.deserialize(plan("mlp3"));
    void backend.deserialize(plan("every_dtype"));
    process.exit(0);
    break;
  case "gc": {
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < 20; i++) {
        const engine = backend.deserializeSync(plan(i % 2 ? "mlp3" : "identity_f32"));
        const context = engine.createContext("static");
        context.setProfiler(() => {});
        if (i % 3 === 0) engine.release();
        if (i % 4 === 0) context.release();
      }
      globalThis.gc();
      await new Promise((r) => setImmediate(r));
    }
    break;
  }
  case "worker": {
    const worker = new Worker(new URL(import.meta.url), { workerData: { mode: "in-worker" }, env: process.env });
    const message = await new Promise((resolve, reject) => {
      worker.once("message", resolve);
      worker.once("error", reject);
    });
    if (message !== "ready") throw new Error(`worker said ${message}`);
    await new Promise((r) => worker.once("exit", r));
    // The main thread's objects still work after the worker's teardown.
    const engine = await backend.deserialize(plan("identity_f32"));
    engine.createContext("static").release();
    break;
  }
  case "in-worker":
    parentPort.postMessage("ready");
    break; // the worker ends with live objects
  default:
    throw new Error(`unknown mode ${mode}`);
}
