/**
 * Real networks (ResNet-50 fp16, BERT-base with two optimization profiles, a
 * detector with TensorRT's EfficientNMS_TRT plugin, an INT8 Q/DQ ResNet-18,
 * an MLP over 2 GB run with weight streaming) built by real_models.py with
 * TensorRT's ONNX parser and builder, through TensorRTModule.load, `trt run`
 * and trt-server on each engine implementation, against TensorRT Python's
 * outputs on the same engines and inputs and against PyTorch's.
 *
 * Runs only where real TensorRT and a GPU are: set TRT_REAL_MODELS to the
 * folder `run-on-gpu.sh models` wrote and TRT_NVINFER_PATH to the libnvinfer
 * that built them. Everywhere else it is skipped and says why;
 * models-twin.test.ts runs the same checks on the emulator.
 */
import { it } from "vitest";
import { defineModelsSuite } from "./support/models-suite.js";

const directory = process.env.TRT_REAL_MODELS ?? "";
const nvinferPath = process.env.TRT_NVINFER_PATH ?? "";
const skipReason = !directory
  ? "TRT_REAL_MODELS is not set: this suite needs the real networks built on a GPU machine (tools/real-tensorrt/run-on-gpu.sh models)"
  : !nvinferPath
    ? "TRT_NVINFER_PATH is not set: name the real libnvinfer that built the models"
    : null;

if (skipReason) {
  console.log(`[real models] skipped: ${skipReason}`);
  it.skip(`real models: ${skipReason}`, () => {});
} else {
  defineModelsSuite({ directory, nvinferPath, emulator: false });
}
