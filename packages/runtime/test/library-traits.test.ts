// What the runtime asks of a loaded library (libraryTraits), for real TensorRT and
// for a stand-in that describes itself (the emulator), and that a loaded emulator
// describes itself the same way through both loaders.
import { describe, expect, it } from "vitest";
import { libraryTraits } from "../src/libraries/library-traits.js";
import { environmentFor } from "./support/runtime.js";

const version = { major: 10, minor: 8, patch: 0, raw: 100800 };

describe("libraryTraits", () => {
  it("real TensorRT: named by its version, device memory, TensorRT's plans, no entry-point cache", () => {
    expect(libraryTraits({ path: "/usr/lib/libnvinfer.so.10", version, emulator: null })).toEqual({
      label: "TensorRT 10.8.0",
      isTensorRT: true,
      memory: "device",
      plans: ["tensorrt", "tensorrt-rtx"],
      runtimeCacheEntryPoints: false,
    });
  });

  it("a stand-in: named as what it is; its mode and its own description decide memory and the cache", () => {
    const host = { version: "0.1.0", mode: "host" as const, info: JSON.stringify({ emulator: true, runtimeCache: true }) };
    expect(libraryTraits({ path: "/x/libnvinfer.so.10", version, emulator: host })).toEqual({
      label: "TensorRT emulator 0.1.0 (host mode, not TensorRT)",
      isTensorRT: false,
      memory: "host",
      plans: ["emulator"],
      runtimeCacheEntryPoints: true,
    });
    // CUDA mode, and a description that says nothing of a cache (or is not JSON): device memory, no cache calls.
    const cuda = libraryTraits({ path: "/x/libnvinfer.so.10", version, emulator: { version: "0.1.0", mode: "cuda", info: "not json" } });
    expect(cuda).toMatchObject({ label: "TensorRT emulator 0.1.0 (cuda mode, not TensorRT)", memory: "device", runtimeCacheEntryPoints: false });
  });

  it("the emulator loaded here describes itself the same way through each engine implementation's loader", () => {
    const environment = environmentFor(10);
    const traits = libraryTraits(environment.library);
    expect(traits).toMatchObject({ isTensorRT: false, plans: ["emulator"], runtimeCacheEntryPoints: true });
    expect(traits.label).toMatch(/^TensorRT emulator [\d.]+ \((host|cuda) mode, not TensorRT\)$/);
    for (const implementation of ["ffi", "native"] as const) {
      const available = implementation === "ffi" || environment.nativeAvailability().available;
      if (available) expect(libraryTraits(environment.backend(implementation).library), implementation).toEqual(traits);
    }
  });
});
