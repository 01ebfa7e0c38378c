/**
 * The Node half of the Torch-TensorRT proof (torch_tensorrt_paths.py is the
 * Python half): modules loaded the way users load them, saved by Node in
 * each Torch-TensorRT ABI and in each shape Torch-TensorRT takes an engine in.
 *
 *   node --import tsx tools/real-tensorrt/save_for_torch_tensorrt.ts FIXTURES_DIR OUT_DIR
 *
 * FIXTURES_DIR is fixtures/ (trt10/ and torch-tensorrt/ inside). Two sources:
 * - from_ep: tt_mlp3_b8.ep, the ExportedProgram Torch-TensorRT 2.11 saved
 *   (ABI "8", with Torch-TensorRT's own metadata slot), through TensorRTModule.load;
 * - from_plan: the raw plan trt10/mlp3_b8_fp32.engine (no metadata).
 * For each source and each ABI "8", "9", "10", OUT_DIR gets
 *   SOURCE.abiN.list.pkl         the tuple as a pickled list, engine as raw bytes
 *                                (what torch.classes.tensorrt.Engine(list) takes)
 *   SOURCE.abiN.extra_state.pkl  (name, engine_info, inputs, outputs), engine as
 *                                base64 bytes (what TorchTensorRTModule.set_extra_state takes)
 *   SOURCE.abiN.state.pkl        the list with the engine as base64 str: the engine's
 *                                pickled state, what TorchScript's setstate takes
 *   SOURCE.abiN.trtengine        the container (examples/python-interop's torch-run)
 * and node_saves.json (what was written, sha256, and any ABI refused).
 * Saving needs no GPU but goes through TensorRTModule as a user's program
 * does, so it runs where TensorRT loads (TRT_NVINFER_PATH).
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { TensorRTModule } from "@trt/sdk";
import type { WriteEngineFileOptions } from "@trt/sdk";

const [fixtures, out] = process.argv.slice(2);
if (!fixtures || !out) {
  console.error("usage: save_for_torch_tensorrt.ts FIXTURES_DIR OUT_DIR");
  process.exit(2);
}
mkdirSync(out, { recursive: true });

const SOURCES = {
  from_ep: join(fixtures, "torch-tensorrt", "tt_mlp3_b8.ep"),
  from_plan: join(fixtures, "trt10", "mlp3_b8_fp32.engine"),
};
const ABIS = ["8", "9", "10"] as const;
const SHAPES: Record<string, WriteEngineFileOptions> = {
  "list.pkl": { format: "pickle", pickle: { shape: "list", engineAs: "bytes" } },
  "extra_state.pkl": { format: "pickle", pickle: { shape: "extra_state" } },
  "state.pkl": { format: "pickle", pickle: { shape: "list", engineAs: "base64" } },
  trtengine: { format: "container" },
};

const report: Record<string, unknown> = { files: {}, refused: {} };
const sha256 = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");

for (const [source, path] of Object.entries(SOURCES)) {
  const module = await TensorRTModule.load(path);
  try {
    const record = module.toSerializedEngine();
    console.log(
      `[node-saves] ${source}: ${path} read as ABI "${record.abiVersion}", name ${JSON.stringify(record.name)}, ` +
        `inputs ${module.inputNames.join(",")}, outputs ${module.outputNames.join(",")}, metadata ${record.metadata.length} chars`,
    );
    for (const abi of ABIS) {
      for (const [suffix, options] of Object.entries(SHAPES)) {
        const file = `${source}.abi${abi}.${suffix}`;
        try {
          await module.save(join(out, file), { ...options, abi });
          (report.files as Record<string, unknown>)[file] = { source, abi, sha256: sha256(join(out, file)) };
          console.log(`[node-saves] wrote ${file}`);
        } catch (error) {
          (report.refused as Record<string, string>)[file] = (error as Error).message;
          console.log(`[node-saves] refused ${file}: ${(error as Error).message}`);
        }
      }
    }
    (report as Record<string, unknown>)[source] = { readAbi: record.abiVersion, defaultSaveAbi: module.toTuple()[0] };
  } finally {
    module.release();
  }
}
writeFileSync(join(out, "node_saves.json"), `${JSON.stringify(report, null, 2)}\n`);
console.log(`[node-saves] wrote ${join(out, "node_saves.json")}`);
