#!/usr/bin/env node
// Writes examples/engines/sample.trtengine, the small container the README's demo
// inspects. Deterministic: running it again produces the same bytes (a test checks
// that the committed file matches).
//
//   pnpm --filter @trt/format build && node examples/engines/make-sample.mjs [OUT]
//
// The engine bytes are a placeholder pattern, not a TensorRT plan; the emulator
// team replaces them with a real emulator plan later. The metadata is real: the
// base64 of `pickle.dumps(md, protocol=4)` from python3, with md =
//   {"settings": {"enabled_precisions": ["fp16"], "workspace_size": 1 << 30,
//                 "optimization_level": 3, "hardware_compatible": False,
//                 "immutable_weights": True},
//    "inout_symexprs": {"x": [1, 3, 224, 224], "y": [1, 1000]},
//    "output_tensors_are_unowned": False}
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createSerializedEngine } from "../../packages/format/dist/index.js";
import { writeEngineFileSync } from "../../packages/format/dist/node.js";

const METADATA =
  "gASV3AAAAAAAAAB9lCiMCHNldHRpbmdzlH2UKIwSZW5hYmxlZF9wcmVjaXNpb25zlF2UjARmcDE2lGGMDndvcmtzcGFjZV9zaXpllEoAAABAjBJvcHRpbWl6YXRpb25fbGV2ZWyUSwOME2hhcmR3YXJlX2NvbXBhdGlibGWUiYwRaW1tdXRhYmxlX3dlaWdodHOUiHWMDmlub3V0X3N5bWV4cHJzlH2UKIwBeJRdlChLAUsDS+BL4GWMAXmUXZQoSwFN6ANldYwab3V0cHV0X3RlbnNvcnNfYXJlX3Vub3duZWSUiXUu";

// 4 KiB: a readable marker, then a fixed pseudo-random fill.
function placeholderPlan(size) {
  const out = new Uint8Array(size);
  const marker = new TextEncoder().encode("TRT-NODE PLACEHOLDER PLAN, NOT A TENSORRT ENGINE\n");
  out.set(marker);
  let x = 0x2545f491;
  for (let i = marker.length; i < size; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

const value = createSerializedEngine({
  name: "sample_engine",
  // gpu 0, compute capability 9.0, device type 0 (nvinfer1::DeviceType::kGPU)
  device: { gpuId: 0, smMajor: 9, smMinor: 0, deviceType: 0, deviceName: "NVIDIA H100 80GB HBM3" },
  engine: placeholderPlan(4096),
  inputBindingNames: ["x"],
  outputBindingNames: ["y"],
  hardwareCompatible: false,
  metadata: METADATA,
  targetPlatform: "linux_x86_64",
  requiresOutputAllocator: false,
  resourceAllocationStrategy: "static",
  requiresNativeMultiDevice: false,
  aliasedIO: [],
});

const out = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), "sample.trtengine");
writeEngineFileSync(out, value);
console.log(`wrote ${out}`);
