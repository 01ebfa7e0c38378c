// RunResources: one owner for what a run holds, one release(). Temporaries go back
// once the run is enqueued; outputs the run allocated go back only if they were
// never handed to tensors; borrowed outputs never; leases always; undo actions
// only on failure; release() twice changes nothing.
import { describe, expect, it } from "vitest";
import { ComputeDevice } from "../src/placement/compute-device.js";
import { RunResources } from "../src/run/run-resources.js";
import { DeviceStorage } from "../src/tensor/storage.js";
import { RecordingGraphDevice } from "./support/graph-device.js";

function setup() {
  const device = new ComputeDevice(new RecordingGraphDevice(), 0);
  const stream = device.acquireStream();
  const live = () => device.pool.stats().liveAllocations;
  return { device, stream, live, baseline: live() };
}

describe("RunResources", () => {
  it("a run that succeeds: temporaries freed once enqueued, outputs handed over stay, leases dropped", () => {
    const { device, stream, live, baseline } = setup();
    const input = new DeviceStorage(device, device.pool.alloc(64, stream), 64, true, stream);
    const inputLease = input.lease();
    const r = new RunResources(device, stream);
    r.temporary(32);
    r.hold(input);
    const out = r.newOutput(16);
    r.borrowedOutput(input); // an output aliasing the input
    r.borrowedOutput(null); // served by the output allocator
    expect(r.storages).toEqual([out, input, null]);
    expect(live() - baseline).toBe(3); // input, temporary, output
    r.enqueued();
    expect(live() - baseline).toBe(2);
    r.handOver();
    r.release();
    // The output is the tensor's now; the input is still its owner's (our lease is gone, the caller's remains).
    expect(live() - baseline).toBe(2);
    inputLease.release();
    expect(live() - baseline).toBe(1);
    r.release();
    expect(live() - baseline).toBe(1);
  });

  it("a run that fails: owned outputs and temporaries go back, borrowed ones do not, undo actions run once", () => {
    const { device, stream, live, baseline } = setup();
    const input = new DeviceStorage(device, device.pool.alloc(64, stream), 64, true, stream);
    const inputLease = input.lease();
    const r = new RunResources(device, stream);
    const undone: string[] = [];
    r.onFailure(() => undone.push("allocator memory"));
    r.hold(input);
    r.newOutput(16);
    r.borrowedOutput(input);
    r.temporary(8);
    r.release();
    r.release();
    expect(undone).toEqual(["allocator memory"]);
    expect(live() - baseline).toBe(1); // only the caller's input
    inputLease.release();
    expect(live() - baseline).toBe(0);
  });

  it("a temporary that becomes an output (written into a copied-in input) is owned as that output, not freed at enqueue", () => {
    const { device, stream, live, baseline } = setup();
    const r = new RunResources(device, stream);
    const address = r.temporary(24);
    const out = r.outputFromTemporary(address);
    expect(out).toMatchObject({ address, bytes: 24, owned: true });
    r.enqueued();
    expect(live() - baseline).toBe(1);
    r.release(); // not handed over: the run failed, so the output goes back too
    expect(live() - baseline).toBe(0);
    expect(() => new RunResources(device, stream).outputFromTemporary(12345)).toThrow(/no temporary at 12345/);
  });
});
