#!/usr/bin/env node
// @ts-check
// Writes the sample engine the README's demo and the CLI examples use, and an
// input for it:
//
//   sample.trtengine   a .trtengine container holding a real TensorRT
//                      *emulator* plan (see sample.mjs): it runs on the
//                      project's emulator (tools/emulator), not on TensorRT
//   sample-input.npy   x, float32 [2, 8]
//
//   pnpm turbo run build --filter=@trt/example-engines... && node examples/engines/make-sample.mjs [OUTDIR]
//
// Deterministic: running it again produces the same bytes (a test checks that
// the committed files match). The tuple's metadata slot is real Torch-TensorRT
// style metadata, the base64 of `pickle.dumps(md, protocol=4)` from python3:
//   md = {"settings": {"enabled_precisions": ["fp32"], "workspace_size": 0,
//                      "optimization_level": 3, "hardware_compatible": False,
//                      "immutable_weights": True},
//         "inout_symexprs": {"x": ["s0", 8], "y": ["s0", 4]},
//         "output_tensors_are_unowned": False}
// The device slot stays "0%0%0%0%" (no particular GPU): an emulator plan was
// built for none, and placement then takes the first device.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeFileSync } from "node:fs";
import { buildPlan } from "@trt/emulator";
import { createSerializedEngine, encodeNpy, writeEngineFileSync } from "@trt/sdk";
import { PLAN, SAMPLE_INPUT } from "./sample.mjs";

const METADATA =
  "gASV1wAAAAAAAAB9lCiMCHNldHRpbmdzlH2UKIwSZW5hYmxlZF9wcmVjaXNpb25zlF2UjARmcDMylGGMDndvcmtzcGFjZV9zaXpllEsAjBJvcHRpbWl6YXRpb25fbGV2ZWyUSwOME2hhcmR3YXJlX2NvbXBhdGlibGWUiYwRaW1tdXRhYmxlX3dlaWdodHOUiHWMDmlub3V0X3N5bWV4cHJzlH2UKIwBeJRdlCiMAnMwlEsIZYwBeZRdlChoDksEZXWMGm91dHB1dF90ZW5zb3JzX2FyZV91bm93bmVklIl1Lg==";

const value = createSerializedEngine({
  name: "sample_engine",
  engine: buildPlan(PLAN),
  inputBindingNames: ["x"],
  outputBindingNames: ["y"],
  metadata: METADATA,
  // Fixed rather than this machine's, so the file is the same wherever it is made.
  targetPlatform: "linux_x86_64",
});

const dir = process.argv[2] ?? dirname(fileURLToPath(import.meta.url));
writeEngineFileSync(join(dir, "sample.trtengine"), value);
writeFileSync(join(dir, "sample-input.npy"), encodeNpy(SAMPLE_INPUT));
console.log(`wrote ${join(dir, "sample.trtengine")} and ${join(dir, "sample-input.npy")}`);
