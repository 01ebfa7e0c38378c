/** Whether the native engine loads here (the addon is built and finds the emulator): its tests run only then. */
import { TensorRTEnvironment } from "@trt/runtime";
import { emulator10 } from "./cli.js";

const availability = new TensorRTEnvironment({ nvinferPath: emulator10 }).nativeAvailability();
if (!availability.available) console.log(`[sdk tests] native cases skipped: ${availability.error.reason}`);

export const nativeLoads: boolean = availability.available;
