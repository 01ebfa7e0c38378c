/**
 * The real networks' manifest, their arrays and their emulator twin, for the
 * real-model suite here and for tools/bench (imported as
 * "@trt/real-tensorrt/models").
 */
export * from "./manifest.js";
export * from "./arrays.js";
export { writeModelsTwin, TWIN_FAILED, TWIN_TOLERANCE } from "./twin.js";
export { NMS_OUTPUT_NAMES, hasNmsOutputs, inCanonicalNmsOrder } from "./nms-order.js";
export type { OutputValues } from "./nms-order.js";
