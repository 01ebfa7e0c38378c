/**
 * How run and bench name the TensorRT they ran on: the version the library
 * reports, or, for the project's emulator, that it is the emulator, so no
 * output or timing is mistaken for TensorRT's.
 */
import type { TensorRTLibraryInfo } from "@trt/runtime";

/** "TensorRT 10.8.0", or "TensorRT emulator 0.1.0 (host mode, not TensorRT)". */
export function libraryLabel(library: TensorRTLibraryInfo): string {
  const { major, minor, patch } = library.version;
  if (library.emulator) return `TensorRT emulator ${library.emulator.version} (${library.emulator.mode} mode, not TensorRT)`;
  return `TensorRT ${major}.${minor}.${patch}`;
}
