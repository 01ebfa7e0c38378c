// Which native build the scripts work on: build/cuda when TRT_EMU_CUDA=ON
// (CUDA kernels compiled in), else build/host (host only, what CI builds).
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..");
export const withCuda = (process.env.TRT_EMU_CUDA ?? "OFF").toUpperCase() === "ON";
export const variant = withCuda ? "cuda" : "host";
export const buildDir = join(root, "build", variant);

/** Runs a command with inherited output; returns its exit status (null when it could not start). */
export function run(command, args) {
  const result = spawnSync(command, args, { stdio: "inherit", cwd: root });
  if (result.error) return null;
  return result.status;
}

/** Exits with `message` unless `command --version` works. */
export function requireTool(command, message) {
  const probe = spawnSync(command, ["--version"], { stdio: "ignore" });
  if (probe.error || probe.status !== 0) {
    console.error(`[emulator] ${message}`);
    process.exit(1);
  }
}
