// TensorRT's logger routed to a JS sink, from the JS thread and from workers.
import { describe, expect, it } from "vitest";

import type { LogSeverity } from "../src/index.js";
import { backendFor, invalidPlan, MAJORS, plan, rejected, thrown } from "./helpers.js";

describe.each(MAJORS)("TensorRT %i emulator: logger", (major) => {
  const backend = backendFor(major);

  it("filters by severity", async () => {
    const seen: [LogSeverity, string][] = [];
    backend.setLogSink((s, m) => seen.push([s, m]), "verbose");
    await backend.deserialize(plan("identity_f32"));
    const infos = seen.filter(([s]) => s === "info" || s === "verbose");
    expect(infos.length).toBeGreaterThan(0);

    seen.length = 0;
    backend.setLogSink((s, m) => seen.push([s, m])); // default: warning and worse
    await backend.deserialize(plan("identity_f32"));
    expect(seen.filter(([s]) => s === "info" || s === "verbose")).toEqual([]);
    await rejected(backend.deserialize(invalidPlan("bad_magic")));
    expect(seen.map(([s]) => s)).toContain("error");

    seen.length = 0;
    backend.setLogSink(null);
    await rejected(backend.deserialize(invalidPlan("bad_magic")));
    expect(seen).toEqual([]);
  });

  it("attaches the failing call's own message, not an older one", async () => {
    backend.setLogSink(null);
    await rejected(backend.deserialize(invalidPlan("bad_magic")));
    const engine = await backend.deserialize(plan("add_dynamic"));
    const context = engine.createContext("static");
    const e = thrown(() => context.inferOutputShapes(new Float64Array([2, 99, 4, 2, 1, 4])));
    expect(e.tensorrtMessage).not.toMatch(/magic/);
    expect(e.tensorrtMessage).toMatch(/a/);
  });

  it("a throwing sink does not break the call", async () => {
    // The warning is emitted when the JS thread drains the log queue, whenever that is: wait for it, not for a time.
    let onWarning!: (w: Error) => void;
    const warned = new Promise<string>((resolve) => {
      onWarning = (w) => {
        if (w.message.includes("sink broke")) resolve(w.message);
      };
    });
    process.on("warning", onWarning);
    try {
      backend.setLogSink(() => {
        throw new Error("sink broke");
      }, "verbose");
      const engine = await backend.deserialize(plan("identity_f32"));
      expect(engine.info.name).toBe("identity_f32");
      expect(await warned).toBe("@trt/native log sink threw: sink broke");
    } finally {
      process.off("warning", onWarning);
      backend.setLogSink(null);
    }
  });

  it("delivers messages logged on deserialization workers, in order, many at once", async () => {
    const errors: string[] = [];
    backend.setLogSink((s, m) => {
      if (s === "error") errors.push(m);
    }, "error");
    const names = ["bad_magic", "truncated", "empty", "future_version", "bad_checksum"];
    const results = await Promise.allSettled(names.map((n) => backend.deserialize(invalidPlan(n))));
    expect(results.every((r) => r.status === "rejected")).toBe(true);
    for (const r of results) {
      if (r.status === "rejected") expect(errors).toContain((r.reason as { tensorrtMessage: string }).tensorrtMessage);
    }
    backend.setLogSink(null);
  });
});
