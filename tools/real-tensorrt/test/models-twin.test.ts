/**
 * The real-model suite over the models' emulator twin (models/twin.ts) on the
 * host-mode emulator: manifest reading, every comparison, weight streaming at
 * a budget, profiles, int64 inputs, `trt run`, trt-server and native against
 * ffi all run in CI with no GPU; real-models.test.ts runs the same checks on
 * the real engines. The twin's failed model must make its test fail.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { emulatorLibraryPath } from "@trt/emulator";
import { afterAll } from "vitest";
import { writeModelsTwin } from "../models/index.js";
import { defineModelsSuite } from "./support/models-suite.js";

const directory = mkdtempSync(join(tmpdir(), "trt-models-twin-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));
writeModelsTwin(directory);
defineModelsSuite({ directory, nvinferPath: emulatorLibraryPath(10), emulator: true });
