/**
 * EfficientNMS_TRT's detections, put in one order among equal scores.
 *
 * The plugin writes each image's detections sorted by score, but the order of
 * detections whose scores are equal is not fixed: on an H100 with TensorRT
 * 10.6 the detector at batch 32 gave two boxes of image 27 with the same
 * score (0.7427867) in one order under TensorRT's Python API and in the other
 * under Node, run after run, while every value was the same. Comparing such
 * outputs element by element would fail on a difference that is not one. So
 * before comparing, each run of equal scores is sorted by class, then box;
 * detections of different scores are never moved, and outputs whose scores
 * are not in descending order are left as they are, so a wrong order still
 * fails the comparison.
 */

/** The output names the detector gives EfficientNMS_TRT's four outputs. */
export const NMS_OUTPUT_NAMES = {
  count: "num_detections",
  boxes: "detection_boxes",
  scores: "detection_scores",
  classes: "detection_classes",
} as const;

/** An output as compared: its shape and values as numbers. */
export interface OutputValues {
  readonly shape: readonly number[];
  readonly values: Float64Array;
}

/** True when `outputs` holds all four of EfficientNMS_TRT's outputs. */
export function hasNmsOutputs(outputs: Readonly<Record<string, OutputValues>>): boolean {
  return Object.values(NMS_OUTPUT_NAMES).every((name) => outputs[name] !== undefined);
}

/**
 * `outputs` with each image's equal-score detections in (class, box) order;
 * a copy: the argument is not changed. Outputs other than the four, and
 * outputs without them, come back as they were.
 */
export function inCanonicalNmsOrder<T extends Readonly<Record<string, OutputValues>>>(outputs: T): T {
  if (!hasNmsOutputs(outputs)) return outputs;
  const count = outputs[NMS_OUTPUT_NAMES.count]!;
  const boxes = copyOf(outputs[NMS_OUTPUT_NAMES.boxes]!);
  const scores = copyOf(outputs[NMS_OUTPUT_NAMES.scores]!);
  const classes = copyOf(outputs[NMS_OUTPUT_NAMES.classes]!);
  const images = scores.shape[0] ?? 0;
  const slots = scores.shape[1] ?? 0;
  for (let image = 0; image < images; image++) {
    const found = Math.min(slots, Math.max(0, count.values[image] ?? 0));
    const base = image * slots;
    if (!descending(scores.values, base, found)) continue;
    for (let start = 0; start < found; ) {
      let end = start + 1;
      while (end < found && scores.values[base + end] === scores.values[base + start]) end++;
      if (end - start > 1) reorderTies(boxes.values, classes.values, base + start, end - start);
      start = end;
    }
  }
  return { ...outputs, [NMS_OUTPUT_NAMES.boxes]: boxes, [NMS_OUTPUT_NAMES.scores]: scores, [NMS_OUTPUT_NAMES.classes]: classes };
}

function copyOf(output: OutputValues): OutputValues {
  return { shape: output.shape, values: output.values.slice() };
}

function descending(scores: Float64Array, base: number, found: number): boolean {
  for (let i = 1; i < found; i++) if (scores[base + i]! > scores[base + i - 1]!) return false;
  return true;
}

/** Sorts `length` detections from `first` (equal scores) by class, then box coordinates. */
function reorderTies(boxes: Float64Array, classes: Float64Array, first: number, length: number): void {
  const rows = Array.from({ length }, (_, i) => ({ cls: classes[first + i]!, box: Array.from(boxes.subarray((first + i) * 4, (first + i) * 4 + 4)) }));
  rows.sort((a, b) => a.cls - b.cls || a.box[0]! - b.box[0]! || a.box[1]! - b.box[1]! || a.box[2]! - b.box[2]! || a.box[3]! - b.box[3]!);
  rows.forEach((row, i) => {
    classes[first + i] = row.cls;
    boxes.set(row.box, (first + i) * 4);
  });
}
