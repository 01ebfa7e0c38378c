/**
 * The plugin engines plugin_fixtures.py builds on a GPU machine (with
 * TensorRT's own outputs as references), read for the plugin suites:
 * real-plugins-standard.test.ts and real-plugins-library.test.ts.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { decodeNpy, withRuntime } from "@trt/sdk";
import type { EngineImplementation, HostArray, NpyArray, RunInputs, TensorRTModule } from "@trt/sdk";
import { expect } from "vitest";

export interface PluginFixture {
  readonly name: string;
  readonly error?: string;
  readonly plugin: { readonly name: string; readonly version: string; readonly namespace: string; readonly library: string };
  readonly files: Readonly<Record<string, string>>;
}

/** Where the suites run: the fixtures folder and the libnvinfer, or why they are skipped. */
export function pluginTarget(): { directory: string; nvinferPath: string; fixtures: PluginFixture[] } | { skip: string } {
  const directory = process.env.TRT_REAL_PLUGIN_FIXTURES ?? "";
  const nvinferPath = process.env.TRT_NVINFER_PATH ?? "";
  if (!directory) return { skip: "TRT_REAL_PLUGIN_FIXTURES is not set: these suites need real TensorRT and a GPU (run-on-gpu.sh plugins)" };
  if (!nvinferPath) return { skip: "TRT_NVINFER_PATH is not set: name the real libnvinfer to test" };
  const manifest = JSON.parse(readFileSync(join(directory, "manifest.json"), "utf8")) as { fixtures: PluginFixture[] };
  return { directory, nvinferPath, fixtures: manifest.fixtures };
}

/** A user's plugin library for the library suite: TRT_REAL_PLUGIN_LIBRARY, else libnvinfer_vc_plugin beside libnvinfer. */
export function userPluginLibrary(nvinferPath: string): string {
  const major = /\.so\.(\d+)$/.exec(nvinferPath)?.[1] ?? "10";
  const path = process.env.TRT_REAL_PLUGIN_LIBRARY ?? join(dirname(nvinferPath), `libnvinfer_vc_plugin.so.${major}`);
  if (!existsSync(path)) throw new Error(`${path} does not exist: set TRT_REAL_PLUGIN_LIBRARY to a plugin library holding ROIAlign_TRT version 2`);
  return path;
}

function npy(directory: string, file: string): NpyArray {
  return decodeNpy(readFileSync(join(directory, file)));
}

/** The fixture's inputs, as run() takes them. */
export function inputsOf(directory: string, f: PluginFixture): RunInputs {
  const entries = Object.entries(f.files).filter(([key]) => key.startsWith("in."));
  return Object.fromEntries(
    entries.map(([key, file]) => {
      const a = npy(directory, file);
      return [key.slice(3), { data: a.data as HostArray, shape: a.shape }];
    }),
  );
}

/** Runs `f` on `impl` and compares every output with TensorRT Python's: integers exactly, floats within `atol`. */
export async function expectTensorRTOutputs(module: TensorRTModule, impl: EngineImplementation, directory: string, f: PluginFixture, atol: number): Promise<void> {
  const result = await withRuntime(impl, () => module.run(inputsOf(directory, f)));
  const outputs = Object.entries(f.files).filter(([key]) => key.startsWith("out."));
  expect(outputs.length).toBeGreaterThan(0);
  for (const [key, file] of outputs) {
    const reference = npy(directory, file);
    const tensor = result.get(key.slice(4));
    expect(tensor.shape, key).toEqual(reference.shape);
    const got = Array.from((await tensor.toArray()) as ArrayLike<number>, Number);
    const want = Array.from(reference.data as ArrayLike<number | bigint>, Number);
    if (reference.dtype.startsWith("int")) {
      expect(got, key).toEqual(want);
    } else {
      const worst = got.reduce((m, v, i) => Math.max(m, Math.abs(v - want[i]!)), 0);
      expect(worst, `${key}: largest difference from TensorRT's Python API`).toBeLessThanOrEqual(atol);
    }
  }
}
