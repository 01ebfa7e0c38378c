/**
 * How the device layer waits for streams, on a stand-in for libcudart
 * (support/fake-cudart.c: streams are threads working through queues), so
 * the completion callback, the pollers and the worker waits are tested
 * without a GPU. cuda-device.test.ts runs the same strategies on a real one.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { pendingCompletions } from "../src/device/completion-waiter.js";
import { streamWaitFromEnv } from "../src/device/stream-wait.js";
import { CudaDevice } from "../src/device/index.js";
import type { StreamWaitStrategy } from "../src/device/index.js";
import { CudaError } from "../src/errors/index.js";
import { buildFakeCuda } from "./support/fake-cuda.js";
import type { FakeCuda } from "./support/fake-cuda.js";

const ILLEGAL_ADDRESS = 700;
const STRATEGIES: StreamWaitStrategy[] = ["auto", "callback", "worker", "worker-blocking", "poll"];

let fake: FakeCuda;
const streams: { device: CudaDevice; stream: number }[] = [];

beforeAll(() => {
  fake = buildFakeCuda();
});

afterAll(() => {
  fake.dropHostFunctions(false);
  for (const { device, stream } of streams) device.destroyStream(stream);
});

function newStream(device: CudaDevice): number {
  const stream = device.createStream();
  streams.push({ device, stream });
  return stream;
}

describe.each(STRATEGIES)("waiting for a stream, %s", (strategy) => {
  it("ends each wait only once everything queued before it has finished, across 8 streams", async () => {
    const device = new CudaDevice({ path: fake.path, streamWait: strategy });
    const lanes = Array.from({ length: 8 }, () => newStream(device));
    const waits = lanes.map(async (stream, i) => {
      const items = 1 + (i % 3);
      for (let k = 0; k < items; k++) fake.enqueueWork(stream, 2_000 + ((i * 7919 + k * 104_729) % 25_000));
      await device.synchronizeAsync(stream);
      return { stream, items, completed: fake.completed(stream) };
    });
    for (const { items, completed } of await Promise.all(waits)) expect(completed).toBe(items);
    expect(pendingCompletions()).toBe(0);
  });

  it("rejects with the stream's error when its work failed", async () => {
    const device = new CudaDevice({ path: fake.path, streamWait: strategy });
    const stream = newStream(device);
    fake.enqueueWork(stream, 5_000);
    fake.failStream(stream, ILLEGAL_ADDRESS);
    fake.enqueueWork(stream, 5_000);
    const error = await device.synchronizeAsync(stream).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CudaError);
    expect((error as CudaError).message).toContain("cudaErrorIllegalAddress");
    expect(pendingCompletions()).toBe(0);
  });
});

describe("the completion callback", () => {
  it("lets the event loop run while the GPU works", async () => {
    const device = new CudaDevice({ path: fake.path, streamWait: "callback" });
    const stream = newStream(device);
    fake.enqueueWork(stream, 100_000);
    let turns = 0;
    let turning = true;
    const turn = () => {
      turns++;
      if (turning) setImmediate(turn);
    };
    setImmediate(turn);
    const wait = device.synchronizeAsync(stream);
    // Armed, not handed to a worker or a poller.
    expect(pendingCompletions()).toBe(1);
    await wait;
    turning = false;
    expect(fake.completed(stream)).toBe(1);
    // A wait that blocked the thread would let no immediate run before it returned.
    expect(turns).toBeGreaterThan(0);
  });

  it("does not hold up the next work on the stream while CUDA has not yet run the host function", async () => {
    const device = new CudaDevice({ path: fake.path, streamWait: "callback" });
    const stream = newStream(device);
    fake.holdHostFunctions(true);
    let wait: Promise<void> | undefined;
    const before = fake.heldHostFunctionsRun();
    try {
      fake.enqueueWork(stream, 2_000);
      wait = device.synchronizeAsync(stream);
      fake.enqueueWork(stream, 2_000);
      // Both pieces of work finish although the armed host function is held back: it is not on this stream.
      for (let turn = 0; turn < 200_000 && !device.queryStream(stream); turn++) await new Promise((r) => setImmediate(r));
      expect(device.queryStream(stream)).toBe(true);
      expect(fake.completed(stream)).toBe(2);
      expect(fake.heldHostFunctionsRun()).toBe(before);
    } finally {
      fake.holdHostFunctions(false);
    }
    await wait;
    // Released, the held host function runs (the wait itself may have ended earlier, through the watchdog).
    for (let turn = 0; turn < 200_000 && fake.heldHostFunctionsRun() === before; turn++) await new Promise((r) => setImmediate(r));
    expect(fake.heldHostFunctionsRun()).toBe(before + 1);
    expect(pendingCompletions()).toBe(0);
  });

  it("wakes a wait on one stream while a wait armed earlier on another stream is still pending", async () => {
    const device = new CudaDevice({ path: fake.path, streamWait: "callback" });
    const slow = newStream(device);
    const quick = newStream(device);
    // The watchdog would end the quick wait in any case; without it only a wake can.
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    let slowWait: Promise<void> | undefined;
    try {
      fake.gateStream(slow, true);
      fake.gateStream(quick, true);
      fake.enqueueWork(slow, 1_000);
      slowWait = device.synchronizeAsync(slow);
      fake.enqueueWork(quick, 1_000);
      const quickWait = device.synchronizeAsync(quick);
      fake.gateStream(quick, false);
      // A notifier shared by both streams would wake the quick wait only after the slow stream's work.
      let bound: ReturnType<typeof setTimeout> | undefined;
      const notWoken = new Promise<never>((_, reject) => {
        bound = setTimeout(() => reject(new Error("the quick stream's wait was not woken while the slow stream was busy")), 30_000);
      });
      await Promise.race([quickWait, notWoken]).finally(() => clearTimeout(bound));
      expect(fake.completed(quick)).toBe(1);
      expect(fake.completed(slow)).toBe(0);
      expect(pendingCompletions()).toBe(1);
      fake.gateStream(slow, false);
      await slowWait;
      expect(fake.completed(slow)).toBe(1);
      expect(pendingCompletions()).toBe(0);
    } finally {
      fake.gateStream(slow, false);
      await slowWait?.catch(() => undefined);
      vi.useRealTimers();
    }
  }, 60_000);

  it("still ends when the host function never runs (a broken context), through the watchdog", async () => {
    const device = new CudaDevice({ path: fake.path, streamWait: "callback" });
    const done = newStream(device);
    const failed = newStream(device);
    fake.dropHostFunctions(true);
    try {
      fake.enqueueWork(done, 3_000);
      fake.enqueueWork(failed, 3_000);
      fake.failStream(failed, ILLEGAL_ADDRESS);
      await device.synchronizeAsync(done);
      expect(fake.completed(done)).toBe(1);
      await expect(device.synchronizeAsync(failed)).rejects.toBeInstanceOf(CudaError);
    } finally {
      fake.dropHostFunctions(false);
    }
    expect(pendingCompletions()).toBe(0);
  });

  it("keeps a process alive while a wait is pending, and lets it exit afterwards", async () => {
    const script = fileURLToPath(new URL("./fixtures/wait-child.ts", import.meta.url));
    const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ["--import", "tsx", script], {
        stdio: ["ignore", "pipe", "pipe"],
        // It compiles the stand-in library, then waits 0.3 s; the bound is for a slow, busy machine.
        timeout: 90_000,
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, stdout, stderr }));
    });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ completed: 1 });
  }, 120_000);
});

describe("TRT_STREAM_WAIT", () => {
  it("names a strategy, or is refused with the list of them", () => {
    expect(streamWaitFromEnv({})).toBeUndefined();
    expect(streamWaitFromEnv({ TRT_STREAM_WAIT: "" })).toBeUndefined();
    expect(streamWaitFromEnv({ TRT_STREAM_WAIT: "worker-blocking" })).toBe("worker-blocking");
    expect(new CudaDevice({ path: fake.path, env: { TRT_STREAM_WAIT: "poll" } }).streamWait).toBe("poll");
    expect(() => streamWaitFromEnv({ TRT_STREAM_WAIT: "spin" })).toThrow(/TRT_STREAM_WAIT="spin".*auto, callback, worker, worker-blocking, poll/);
  });
});
