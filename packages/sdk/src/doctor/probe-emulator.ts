/**
 * `trt doctor`'s pointer to the project's TensorRT emulator. With no TensorRT
 * on a machine, the one thing that runs here is the emulator the demo uses
 * (a stand-in libnvinfer that runs its own plans on the CPU, never TensorRT's).
 * It is a development package of the source repository, not published: where
 * it is reachable (a checkout of the repository) doctor gives its path, ready
 * for `--nvinfer`; elsewhere it says where it lives.
 */

/** Where the emulator's libnvinfer is, when this installation can reach it. */
export interface EmulatorFinding {
  /** The built libnvinfer.so.10 of the emulator, or null when it is not reachable or not built. */
  readonly path: string | null;
}

/** Looks for the emulator's library through the @trt/emulator package (present in the repository only). */
export async function probeEmulator(): Promise<EmulatorFinding> {
  try {
    const emulator = await import("@trt/emulator");
    return { path: emulator.emulatorLibraryPath(10) };
  } catch {
    return { path: null };
  }
}
