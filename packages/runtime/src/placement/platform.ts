/**
 * The target-platform slot of the engine tuple, in Torch-TensorRT's C++
 * spelling (core/runtime/Platform.cpp): what a module records when it saves.
 */

const PLATFORMS: Readonly<Record<string, string>> = {
  "linux-x64": "linux_x86_64",
  "linux-arm64": "linux_aarch64",
  "win32-x64": "windows_x86_64",
  "win32-arm64": "windows_arm64",
};

/** This process's platform as Torch-TensorRT writes it ("linux_x86_64", ...), or "unknown". */
export function currentTargetPlatform(platform: string = process.platform, arch: string = process.arch): string {
  return PLATFORMS[`${platform}-${arch}`] ?? "unknown";
}
