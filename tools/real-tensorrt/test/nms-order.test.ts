/** On the CPU, in CI: EfficientNMS_TRT's outputs are compared in one order among equal scores, and only there. */
import { describe, expect, it } from "vitest";
import { inCanonicalNmsOrder } from "../models/index.js";
import type { OutputValues } from "../models/index.js";

const out = (shape: number[], values: number[]): OutputValues => ({ shape, values: Float64Array.from(values) });

/** One image, four slots, three found: scores 0.9, 0.5, 0.5 (a tie), then padding. */
function detections(order: "as-python" | "swapped"): Record<string, OutputValues> {
  const a = { box: [268.3, 263.9, 361.8, 301.8], cls: 1 };
  const b = { box: [-42.6, 78.5, 137.5, 139.8], cls: 1 };
  const [second, third] = order === "as-python" ? [a, b] : [b, a];
  return {
    num_detections: out([1, 1], [3]),
    detection_boxes: out([1, 4, 4], [1, 2, 3, 4, ...second.box, ...third.box, 0, 0, 0, 0]),
    detection_scores: out([1, 4], [0.9, 0.5, 0.5, 0]),
    detection_classes: out([1, 4], [7, second.cls, third.cls, 0]),
    boxes: out([1, 2], [5, 6]),
  };
}

const values = (o: Record<string, OutputValues>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Array.from(v.values)]));

describe("inCanonicalNmsOrder", () => {
  it("gives equal-score detections one order, whichever order the plugin wrote them in", () => {
    const python = detections("as-python");
    const node = detections("swapped");
    expect(values(python)).not.toEqual(values(node));
    expect(values(inCanonicalNmsOrder(python))).toEqual(values(inCanonicalNmsOrder(node)));
    expect(Array.from(inCanonicalNmsOrder(node).detection_boxes!.values.subarray(4, 8))).toEqual([-42.6, 78.5, 137.5, 139.8]);
    expect(Array.from(node.detection_boxes!.values.subarray(4, 8)), "the argument is not changed").toEqual([-42.6, 78.5, 137.5, 139.8]);
  });

  it("never moves detections of different scores, nor those past num_detections", () => {
    const o = detections("swapped");
    o.detection_scores = out([1, 4], [0.9, 0.6, 0.5, 0]);
    expect(values(inCanonicalNmsOrder(o))).toEqual(values(o));
    const few = detections("swapped");
    few.num_detections = out([1, 1], [2]);
    expect(values(inCanonicalNmsOrder(few))).toEqual(values(few));
  });

  it("leaves scores that are not in descending order as they are, so the comparison still fails", () => {
    const o = detections("swapped");
    o.detection_scores = out([1, 4], [0.5, 0.5, 0.9, 0]);
    o.num_detections = out([1, 1], [3]);
    expect(values(inCanonicalNmsOrder(o))).toEqual(values(o));
  });

  it("returns outputs of other models unchanged", () => {
    const o = { y: out([1, 3], [3, 2, 1]) };
    expect(inCanonicalNmsOrder(o)).toBe(o);
  });
});
