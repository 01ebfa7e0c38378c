import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** Which native build: host-only (CI's) or with the CUDA backend. */
export type EmulatorVariant = "host" | "cuda";

let root: string | undefined;

/** Absolute path of tools/emulator, found from this module's own location (src/ or dist/). */
export function emulatorPackageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "@trt/emulator") {
      root = dir;
      return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error("@trt/emulator: cannot find the package root above " + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

/** Folder of the fixture plans `buildFixtures()` writes (tools/emulator/fixtures/out, gitignored). */
export function fixturesDir(): string {
  return join(emulatorPackageRoot(), "fixtures", "out");
}

/** Build folder of a variant: build/host or build/cuda. */
export function emulatorBuildDir(variant: EmulatorVariant): string {
  return join(emulatorPackageRoot(), "build", variant);
}

/**
 * Absolute path of the built emulator library, `libnvinfer.so.<major>`.
 * Looks in build/cuda first when TRT_EMU_CUDA=ON, else build/host first, and
 * takes whichever exists (a CUDA build runs in host mode without a GPU).
 * Throws, saying how to build it, when neither does.
 */
export function emulatorLibraryPath(major: 10 | 11 = 10, options: { variant?: EmulatorVariant } = {}): string {
  if (major !== 10 && major !== 11) throw new Error(`@trt/emulator: major must be 10 or 11, got ${String(major)}`);
  const preferred: EmulatorVariant = options.variant ?? (process.env.TRT_EMU_CUDA === "ON" ? "cuda" : "host");
  const order: EmulatorVariant[] = options.variant ? [preferred] : [preferred, preferred === "host" ? "cuda" : "host"];
  const candidates = order.map((v) => join(emulatorBuildDir(v), `lib${major}`, `libnvinfer.so.${major}`));
  const found = candidates.find((p) => existsSync(p));
  if (found) return found;
  throw new Error(
    `@trt/emulator: libnvinfer.so.${major} is not built (looked for ${candidates.join(" and ")}); ` +
      "run `pnpm --filter @trt/emulator build` (add TRT_EMU_CUDA=ON for the CUDA backend)",
  );
}

/** The emulator's plugin libraries for tests: "test" registers two creators, "empty" none. */
export type TestPluginLibrary = "test" | "empty";

/**
 * A plugin library a user would load (IPluginRegistry::loadLibrary), built
 * beside the emulator's libnvinfer.so.N: `test-plugins/libemu_<which>_plugins.so`.
 * The emulator's stand-in of TensorRT's libnvinfer_plugin.so.N is beside
 * libnvinfer itself, where the runtime looks for it.
 */
export function emulatorTestPluginLibraryPath(which: TestPluginLibrary, major: 10 | 11 = 10, options: { variant?: EmulatorVariant } = {}): string {
  if (which !== "test" && which !== "empty") throw new Error(`@trt/emulator: no test plugin library "${String(which)}"`);
  return join(dirname(emulatorLibraryPath(major, options)), "test-plugins", `libemu_${which}_plugins.so`);
}
