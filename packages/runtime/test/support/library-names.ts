/**
 * The sonames the library search asks the system loader for, in its order:
 * every supported major, newest first, the full runtime, then lean, then
 * dispatch.
 */
export const SYSTEM_NAMES = [
  "libnvinfer.so.11",
  "libnvinfer.so.10",
  "libnvinfer_lean.so.11",
  "libnvinfer_lean.so.10",
  "libnvinfer_dispatch.so.11",
  "libnvinfer_dispatch.so.10",
];
