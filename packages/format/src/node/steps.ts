// The engine file steps live in the browser-safe core (model-file.ts; import
// engineFileSteps from "@trt/format"). The types stay nameable from this entry.
export type { EngineFileRead, EngineFileSource, ReadEngineFileOptions } from "../model-file.js";
