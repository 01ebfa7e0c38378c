// The Server-Timing header (--server-timing): off by default; when on, every
// answer says how long its request took to receive and to handle, and the
// handle time spans the inference the model's statistics counted.
import { TensorRTModule } from "@trt/runtime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildServer } from "../src/index.js";
import type { InferenceServer } from "../src/index.js";
import { parseServerArgs } from "../src/cli/args.js";
import { sampleEngine, sampleInput, useEmulator } from "./support/fixtures.js";
import { infer, jsonRequest } from "./support/requests.js";

let restore: () => void;
let sample: TensorRTModule;
let timed: InferenceServer;
let plain: InferenceServer;
const BODY_LIMIT = 64 * 1024;

beforeAll(async () => {
  restore = useEmulator();
  sample = await TensorRTModule.load(sampleEngine);
  timed = buildServer({ models: [{ name: "sample", module: sample }], bodyLimit: BODY_LIMIT, serverTiming: true });
  plain = buildServer({ models: [{ name: "sample", module: sample }], bodyLimit: BODY_LIMIT });
});
afterAll(async () => {
  await timed.app.close();
  await plain.app.close();
  sample.release();
  restore();
});

const request = () => {
  const { data, shape } = sampleInput(1);
  return jsonRequest({ inputs: [{ name: "x", shape, datatype: "FP32", data }] });
};

/** The header's entries as name → milliseconds; fails the test when it is not `receive;dur=N, handle;dur=N`. */
function durations(header: string | string[] | number | undefined): { receive: number; handle: number } {
  expect(typeof header).toBe("string");
  const match = /^receive;dur=(\d+\.\d{3}), handle;dur=(\d+\.\d{3})$/.exec(header as string);
  expect(match, String(header)).not.toBeNull();
  return { receive: Number(match![1]), handle: Number(match![2]) };
}

describe("Server-Timing", () => {
  it("is not sent unless asked for", async () => {
    const res = await infer(plain.app, "sample", request());
    expect(res.statusCode).toBe(200);
    expect(res.headers["server-timing"]).toBeUndefined();
  });

  it("gives an inference's receive and handle times, the handle time covering what the statistics counted", async () => {
    const statistics = timed.models.get("sample")!.statistics;
    const before = statistics.toJson("sample", "1").inference_stats.success;
    const res = await infer(timed.app, "sample", request());
    expect(res.statusCode).toBe(200);
    const { receive, handle } = durations(res.headers["server-timing"]);
    const after = statistics.toJson("sample", "1").inference_stats.success;
    expect(after.count).toBe(before.count + 1);
    const countedMs = (after.ns - before.ns) / 1e6;
    expect(countedMs).toBeGreaterThan(0);
    // Rounded to the microsecond in the header.
    expect(handle + 0.0005).toBeGreaterThanOrEqual(countedMs);
    expect(receive).toBeGreaterThanOrEqual(0);
  });

  it("is sent on refusals too: a body over the limit never reaches a handler, so all its time is receive", async () => {
    const res = await infer(timed.app, "sample", jsonRequest({ inputs: [{ name: "x", shape: [1], datatype: "FP32", data: new Array(BODY_LIMIT).fill(0) }] }));
    expect(res.statusCode).toBe(413);
    expect(durations(res.headers["server-timing"]).handle).toBe(0);
  });

  it("is a command-line switch, off by default", () => {
    const serve = (argv: string[]) => {
      const parsed = parseServerArgs(argv);
      if (parsed.kind !== "serve") throw new Error(`expected serve, got ${parsed.kind}`);
      return parsed.args;
    };
    expect(serve(["--model", "m=x"]).serverTiming).toBe(false);
    expect(serve(["--model", "m=x", "--server-timing"]).serverTiming).toBe(true);
  });
});
