// The engine file steps live in the browser-safe core (model-file.ts); this module
// keeps the names the Node entry has always exported.
export { engineFileSteps, type EngineFileRead, type EngineFileSource, type ReadEngineFileOptions } from "../model-file.js";
