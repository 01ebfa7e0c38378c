/**
 * Rounds merged into one figure per point: medians of each figure over the
 * rounds that measured it, the spread kept, a point unsupported only where
 * no round measured it; and the merged files read back as a report and as
 * anchors, so targets are judged on medians.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readAnchors } from "../src/models/anchors.js";
import { mergeRounds } from "../src/models/merge-rounds.js";
import type { BenchRow } from "../src/models/model-rows.js";

const point = (row: string, inFlight: number, p50Us: number, p99Us: number, throughputPerS: number): BenchRow => ({ model: "net", case: "b1", row, inFlight, p50Us, p99Us, throughputPerS, calls: 100 });
const tmp = mkdtempSync(join(tmpdir(), "trt-merge-rounds-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("merging rounds", () => {
  it("takes each figure's median over the rounds that measured the point, and keeps the spread", () => {
    const merged = mergeRounds([
      [point("native_run", 2, 900, 2000, 2100), { model: "net", case: "b1", row: "ffi_run", inFlight: 1, unsupported: "no lane" }],
      [point("native_run", 2, 1000, 1500, 3000), point("ffi_run", 1, 600, 700, 1600)],
      [point("native_run", 2, 800, 9000, 2400)],
    ]);
    expect(merged).toHaveLength(2);
    expect(merged[0]).toEqual({
      ...point("native_run", 2, 900, 2000, 2400),
      calls: 300,
      spread: { rounds: 3, throughputMin: 2100, throughputMax: 3000, p50MinUs: 800, p50MaxUs: 1000 },
    });
    // Measured in one round of two: that round's figures, not the other's reason.
    expect(merged[1]).toMatchObject({ row: "ffi_run", p50Us: 600, throughputPerS: 1600, spread: { rounds: 1 } });
  });

  it("an even number of rounds gives the mean of the middle two; a point no round measured stays unsupported", () => {
    const merged = mergeRounds([
      [point("trt_python", 1, 500, 600, 2000), { model: "net", case: "b1", row: "trt_python_graph", inFlight: 1, unsupported: "no graph" }],
      [point("trt_python", 1, 700, 800, 1000), { model: "net", case: "b1", row: "trt_python_graph", inFlight: 1, unsupported: "still no graph" }],
    ]);
    expect(merged[0]).toMatchObject({ p50Us: 600, p99Us: 700, throughputPerS: 1500 });
    expect(merged[1]).toEqual({ model: "net", case: "b1", row: "trt_python_graph", inFlight: 1, unsupported: "no graph" });
  });

  it("the command writes anchors that read back, and refuses a file without rows", () => {
    const round = (tp: number) => ({ gpu: "GPU X", tensorrt: "10.6.0", torch: "2.11", rows: [point("trt_python", 1, 600, 700, tp)] });
    const files = [1000, 3000, 2000].map((tp, i) => {
      const path = join(tmp, `anchors-${i}.json`);
      writeFileSync(path, JSON.stringify(round(tp)));
      return path;
    });
    const out = join(tmp, "anchors.json");
    const script = join(__dirname, "..", "src", "models", "merge-rounds.ts");
    const ok = spawnSync(process.execPath, ["--import", "tsx", script, "anchors", out, ...files], { encoding: "utf8", timeout: 60_000 });
    expect(ok.status, ok.stderr).toBe(0);
    const anchors = readAnchors(out);
    expect(anchors.gpu).toBe("GPU X");
    expect(anchors.rows).toEqual([{ ...point("trt_python", 1, 600, 700, 2000), calls: 300 }]);
    expect(JSON.parse(readFileSync(out, "utf8")).rounds).toBe(3);
    const bad = join(tmp, "bad.json");
    writeFileSync(bad, JSON.stringify({ gpu: "x" }));
    const refused = spawnSync(process.execPath, ["--import", "tsx", script, "ours", join(tmp, "o.json"), bad], { encoding: "utf8", timeout: 60_000 });
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain("no rows list");
  });
});
