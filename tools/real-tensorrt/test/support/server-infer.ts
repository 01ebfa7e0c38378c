/**
 * One inference through trt-server, as a client sees it: the server started
 * as a process on a free port of 127.0.0.1 with `--model NAME=ENGINE`, one
 * KServe v2 infer request with every input as binary tensor data and every
 * output asked for in binary, the answer split back into arrays, then the
 * server stopped with SIGTERM (its drain) and its exit awaited.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { EngineImplementation, NpyArray } from "@trt/sdk";

/** The trt-server bin of the workspace's @trt/server (linked into this package's node_modules). */
export const SERVER_BIN = fileURLToPath(new URL("../../node_modules/@trt/server/bin/trt-server.js", import.meta.url));

/** The protocol's datatype for each .npy dtype, and back. */
const DATATYPE: Readonly<Record<string, string>> = { float32: "FP32", float16: "FP16", int8: "INT8", uint8: "UINT8", int32: "INT32", int64: "INT64", bool: "BOOL" };
const ARRAY: Readonly<Record<string, { dtype: NpyArray["dtype"]; make: (b: ArrayBuffer) => NpyArray["data"] }>> = {
  FP32: { dtype: "float32", make: (b) => new Float32Array(b) },
  FP16: { dtype: "float16", make: (b) => new Uint16Array(b) },
  INT8: { dtype: "int8", make: (b) => new Int8Array(b) },
  UINT8: { dtype: "uint8", make: (b) => new Uint8Array(b) },
  INT32: { dtype: "int32", make: (b) => new Int32Array(b) },
  INT64: { dtype: "int64", make: (b) => new BigInt64Array(b) },
  BOOL: { dtype: "bool", make: (b) => new Uint8Array(b) },
};

export interface ServerInfer {
  readonly implementation: EngineImplementation;
  readonly nvinferPath: string;
  readonly model: string;
  readonly engine: string;
  readonly inputs: Readonly<Record<string, NpyArray>>;
}

interface OutputHeader {
  readonly name: string;
  readonly datatype: string;
  readonly shape: number[];
  readonly parameters?: { readonly binary_data_size?: number };
}

/** Builds the binary request: the JSON header, then each input's bytes in order. */
export function binaryInferRequest(inputs: Readonly<Record<string, NpyArray>>): { body: Buffer; headerLength: number } {
  const tensors = Object.entries(inputs).map(([name, a]) => {
    const datatype = DATATYPE[a.dtype];
    if (!datatype) throw new Error(`input ${name}: no protocol datatype for ${a.dtype}`);
    return { name, shape: [...a.shape], datatype, parameters: { binary_data_size: a.data.byteLength } };
  });
  const json = Buffer.from(JSON.stringify({ id: "real-model-check", inputs: tensors, parameters: { binary_data_output: true } }));
  const bytes = Object.values(inputs).map((a) => Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength));
  return { body: Buffer.concat([json, ...bytes]), headerLength: json.length };
}

/** Splits a binary answer into arrays by output name (each copied, so it is aligned). */
export function readBinaryAnswer(body: Buffer, headerLength: number): Record<string, NpyArray> {
  const header = JSON.parse(body.subarray(0, headerLength).toString("utf8")) as { outputs: OutputHeader[] };
  const out: Record<string, NpyArray> = {};
  let offset = headerLength;
  for (const o of header.outputs) {
    const size = o.parameters?.binary_data_size;
    const kind = ARRAY[o.datatype];
    if (size === undefined || !kind) throw new Error(`output ${o.name} came back as ${o.datatype} without binary data`);
    const copy = new Uint8Array(size);
    copy.set(body.subarray(offset, offset + size));
    offset += size;
    out[o.name] = { dtype: kind.dtype, shape: o.shape, data: kind.make(copy.buffer) } as NpyArray;
  }
  if (offset !== body.length) throw new Error(`the answer has ${body.length - offset} bytes no output accounts for`);
  return out;
}

/** Starts the server, sends one request, stops the server; the outputs by name. */
export async function inferThroughServer(run: ServerInfer): Promise<Record<string, NpyArray>> {
  const args = [SERVER_BIN, "--model", `${run.model}=${run.engine}`, "--port", "0", "--max-concurrency", "1", "--runtime", run.implementation, "--nvinfer", run.nvinferPath];
  const child = spawn(process.execPath, args, { env: { ...process.env, LOG_LEVEL: "info" }, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  let stdout = "";
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      // A large engine takes seconds to deserialize; the bound only stops a hung start.
      const timer = setTimeout(() => reject(new Error(`trt-server did not start listening in 300 s: ${stderr}`)), 300_000);
      child.stdout.on("data", (c: Buffer) => {
        stdout += c.toString();
        const found = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
        if (found) {
          clearTimeout(timer);
          resolve(found[1]!);
        }
      });
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`trt-server exited (${code}) before listening: ${stderr}${stdout}`));
      });
    });
    const { body, headerLength } = binaryInferRequest(run.inputs);
    const response = await fetch(`${url}/v2/models/${run.model}/infer`, {
      method: "POST",
      headers: { "content-type": "application/octet-stream", "inference-header-content-length": String(headerLength) },
      body,
    });
    const answer = Buffer.from(await response.arrayBuffer());
    if (response.status !== 200) throw new Error(`trt-server answered ${response.status}: ${answer.toString("utf8").slice(0, 2000)}`);
    const length = Number(response.headers.get("inference-header-content-length") ?? answer.length);
    return readBinaryAnswer(answer, length);
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    const code = await Promise.race([exited, new Promise<"hung">((r) => setTimeout(() => r("hung"), 60_000).unref())]);
    if (code === "hung") child.kill("SIGKILL");
  }
}
