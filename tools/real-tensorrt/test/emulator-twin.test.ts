/**
 * The real-TensorRT suite over the fixtures' emulator twin (see
 * support/emulator-twin.ts), on the host-mode emulator: the suite's harness
 * (fixture reading, references, every feature check) runs in CI, where no
 * GPU or TensorRT is; real-tensorrt.test.ts runs the same suite on real
 * engines where they are.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { emulatorLibraryPath } from "@trt/emulator";
import { afterAll } from "vitest";
import { writeEmulatorTwin, writeTwinArchives } from "./support/emulator-twin.js";
import { defineFixtureSuite } from "./support/suite.js";

const root = mkdtempSync(join(tmpdir(), "trt-emulator-twin-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const directory = join(root, "trt10");
writeEmulatorTwin(directory, 10);
const archives = join(root, "torch-tensorrt");
writeTwinArchives(directory, archives);
defineFixtureSuite({ directory, nvinferPath: emulatorLibraryPath(10), lean: false, emulator: true, archives });
