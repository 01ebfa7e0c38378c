// The round trip with plain python3 (no torch): Python pickles a tuple around
// an emulator plan, Node loads and runs it on the emulator and saves a
// container, Python parses that container from the documented layout and
// sees the same engine, names and flags. The Torch-TensorRT parts of
// interop.py need torch and a GPU and are not run here.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildPlan, emulatorLibraryPath } from "@trt/emulator";
import { readEngineFileWithSourceSync } from "@trt/sdk";
import { afterAll, describe, expect, it } from "vitest";
import { PLAN, reference, SAMPLE_INPUT } from "../../engines/sample.mjs";

const here = fileURLToPath(new URL("..", import.meta.url));
const sampleInput = fileURLToPath(new URL("../../engines/sample-input.npy", import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), "trt-interop-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const python = spawnSync("python3", ["--version"], { encoding: "utf8", timeout: 60_000 }).status === 0;
if (!python) console.log("[python-interop] skipped: python3 is not on PATH");

// A child that hangs fails its test with its own status rather than blocking the worker
// (spawnSync cannot be interrupted by the test timeout); vitest.config.ts allows 120 s a test.
const CHILD_TIMEOUT_MS = 90_000;

function run(command: string, args: string[]): string {
  const env: NodeJS.ProcessEnv = { ...process.env, TRT_NVINFER_PATH: emulatorLibraryPath(10) };
  delete env.TRT_RUNTIME;
  const r = spawnSync(command, args, { cwd: here, encoding: "utf8", env, timeout: CHILD_TIMEOUT_MS });
  if (r.status !== 0) throw new Error(`${command} ${args.join(" ")} failed (${r.signal ?? r.status}):\n${r.stderr}`);
  return r.stdout;
}

describe.runIf(python)("examples/python-interop", () => {
  it("Python -> Node -> Python: pickle in, run on the emulator, container out", () => {
    const plan = buildPlan(PLAN);
    const engine = join(tmp, "mlp.engine");
    writeFileSync(engine, plan);

    // Python wraps the raw engine into the 13-slot tuple and pickles it.
    const pkl = join(tmp, "mlp.pkl");
    run("python3", ["interop.py", "pack", engine, "-o", pkl, "--name", "from_python", "--inputs", "x", "--outputs", "y"]);
    expect(readEngineFileWithSourceSync(pkl).source).toMatchObject({ kind: "pickle", protocol: 4, shape: "list", engineEncoding: "bytes" });

    // Node loads the pickle, runs it, and saves a container.
    const container = join(tmp, "mlp.trtengine");
    const node = JSON.parse(run(process.execPath, ["node-side.mjs", pkl, "--input", `x=${sampleInput}`, "--save", container]));
    expect(node).toEqual({
      name: "from_python",
      inputs: ["x"],
      outputs: { y: { dtype: "float", shape: [2, 4], data: reference(SAMPLE_INPUT.data, 2) } },
    });

    // Python reads the container from the layout alone, CRC included.
    const back = JSON.parse(run("python3", ["interop.py", "read", container]));
    expect(back).toEqual({
      abi_version: "10",
      name: "from_python",
      // The tuple had no device; saved from the emulator's host stand-in, the runtime records the host there.
      device: expect.stringMatching(/^0%0%0%0%/),
      engine_bytes: plan.length,
      engine_sha256: createHash("sha256").update(plan).digest("hex"),
      input_binding_names: ["x"],
      output_binding_names: ["y"],
      hardware_compatible: "0",
      serialized_metadata: "",
      target_platform: expect.stringMatching(/^(linux_x86_64|linux_aarch64|unknown)$/),
      requires_output_allocator: "0",
      resource_allocation_strategy: "0",
      requires_native_multidevice: "0",
      aliased_io: "",
    });
  });

  it("Node -> Python in the layout of Torch-TensorRT 2.11 (ABI 8, 11 slots)", () => {
    const pkl = join(tmp, "mlp.pkl");
    const container = join(tmp, "mlp-abi8.trtengine");
    run(process.execPath, ["node-side.mjs", pkl, "--input", `x=${sampleInput}`, "--save", container, "--abi", "8"]);
    const back = JSON.parse(run("python3", ["interop.py", "read", container])) as Record<string, unknown>;
    expect(back).toMatchObject({ abi_version: "8", name: "from_python", input_binding_names: ["x"], resource_allocation_strategy: "0" });
    expect(Object.keys(back)).not.toContain("requires_native_multidevice"); // 2.12's slot
    expect(Object.keys(back)).toHaveLength(11 + 1); // the slots, with the engine as its size and hash
  });

  it("the Python reader refuses a damaged container", () => {
    const container = join(tmp, "mlp.trtengine");
    const damaged = join(tmp, "damaged.trtengine");
    const bytes = readFileSync(container);
    bytes[200] ^= 0xff;
    writeFileSync(damaged, bytes);
    const r = spawnSync("python3", ["interop.py", "read", damaged], { cwd: here, encoding: "utf8", timeout: CHILD_TIMEOUT_MS });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^error: .*(CRC-32 mismatch|claims|utf-8)/);
  });

  it("keeps the Torch-TensorRT parts apart from what plain python3 runs", () => {
    const source = readFileSync(join(here, "interop.py"), "utf8");
    // torch is imported only inside the functions marked TORCH-TENSORRT.
    const torchSection = source.slice(source.indexOf("# TORCH-TENSORRT:"));
    const plainSection = source.slice(0, source.indexOf("# TORCH-TENSORRT:"));
    expect(plainSection).not.toMatch(/import torch/);
    expect(torchSection).toMatch(/import torch_tensorrt/);
  });
});
