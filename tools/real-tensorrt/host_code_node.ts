/**
 * The Node side of the host-code investigation (host_code_investigation.py
 * asks TensorRT's Python API the same): the same plan, host code allowed,
 * deserialized by each engine implementation on a worker thread (as
 * TensorRTModule does) and on the JS thread, with TensorRT's VERBOSE log of
 * each attempt kept.
 *
 *   node --import tsx tools/real-tensorrt/host_code_node.ts PLAN OUT_DIR
 *
 * TRT_NVINFER_PATH names the libnvinfer. OUT_DIR gets host_code_node.json
 * (per attempt: deserialized or not, the errors logged) and host_code_node.log
 * (every line TensorRT logged, under "=== ATTEMPT" headers). Lines on stdout:
 * [host-code-node] ...
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { TensorRTEnvironment } from "@trt/sdk";
import { FfiBackend } from "@trt/sdk/advanced";
import type { LogSeverity } from "@trt/sdk";
import type { EngineHandle, TensorRTBackend } from "@trt/sdk/advanced";

const [planPath, out] = process.argv.slice(2);
const nvinferPath = process.env.TRT_NVINFER_PATH;
if (!planPath || !out || !nvinferPath) {
  console.error("usage: TRT_NVINFER_PATH=libnvinfer.so.N host_code_node.ts PLAN OUT_DIR");
  process.exit(2);
}
if (!existsSync(planPath)) {
  // run-on-gpu.sh host-code passes the plan host_code_investigation.py used; with none there is nothing to ask.
  console.error(
    `[host-code-node] ${planPath}: no such plan (host_code_investigation.py builds one, or takes ` +
      `fixtures/trtN/mlp3_b8_host_code.engine when it is there; its host_code_python.json says why there was none)`,
  );
  process.exit(2);
}
mkdirSync(out, { recursive: true });
const plan = new Uint8Array(readFileSync(planPath));
const say = (m: string) => console.log(`[host-code-node] ${m}`);
say(`${planPath}: ${plan.length} bytes, libnvinfer ${nvinferPath}`);

const lines: string[] = [];
let current: string[] = [];
const sink = (severity: LogSeverity, message: string) => current.push(`[${severity}] ${message}`);
const attempts: Array<Record<string, unknown>> = [];

async function attempt(name: string, backend: TensorRTBackend, deserialize: () => Promise<EngineHandle> | EngineHandle): Promise<void> {
  current = [];
  backend.setLogSink(sink, "verbose");
  backend.setEngineHostCodeAllowed(true);
  const outcome: Record<string, unknown> = { name };
  try {
    const engine = await deserialize();
    outcome.deserialized = true;
    outcome.io = engine.info.io.map((t) => `${t.mode} ${t.name} ${t.dtype} [${t.shape.join(",")}]`);
    engine.release();
  } catch (error) {
    outcome.deserialized = false;
    outcome.error = (error as Error).message;
  }
  // Log lines from another thread reach the sink on the event loop: give them a turn.
  await new Promise((resolve) => setTimeout(resolve, 100));
  outcome.errorsLogged = current.filter((l) => l.startsWith("[error]") || l.startsWith("[internal_error]"));
  attempts.push(outcome);
  lines.push(`=== ATTEMPT ${name}`, ...current);
  const errors = outcome.errorsLogged as string[];
  say(`${name}: ${outcome.deserialized ? "deserialized" : "refused"}; ${errors[errors.length - 1] ?? (outcome.error as string | undefined) ?? "no error logged"}`);
}

const environment = new TensorRTEnvironment({ nvinferPath, allowEngineHostCode: true });
const native = environment.nativeAvailability();
if (native.available) {
  const backend = environment.backend("native");
  await attempt("native, worker thread", backend, () => backend.deserialize(plan));
  const inner = (backend as unknown as { inner: { deserializeSync(p: Uint8Array): EngineHandle } }).inner;
  await attempt("native, JS thread", backend, () => inner.deserializeSync(plan));
} else {
  say(`native engine not available: ${native.error.reason}`);
}
const worker = new FfiBackend({ path: nvinferPath, asyncDeserialize: true });
await attempt("ffi, worker thread", worker, () => worker.deserialize(plan));
const main = new FfiBackend({ path: nvinferPath, asyncDeserialize: false });
await attempt("ffi, JS thread", main, () => main.deserialize(plan));

writeFileSync(join(out, "host_code_node.json"), `${JSON.stringify({ plan: planPath, bytes: plan.length, attempts }, null, 2)}\n`);
writeFileSync(join(out, "host_code_node.log"), `${lines.join("\n")}\n`);
say(`wrote ${join(out, "host_code_node.json")} and host_code_node.log`);
