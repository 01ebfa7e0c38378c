/** The rows every case has, in table order. */
export const ROWS = [
  { key: "floor", label: "floor: enqueueV3 in a C++ loop" },
  { key: "floor_graph", label: "floor: cudaGraphLaunch in a C++ loop" },
  { key: "native", label: "native runSync" },
  { key: "ffi", label: "ffi runSync" },
  { key: "native_graph", label: "native runSync + CUDA graph" },
  { key: "ffi_graph", label: "ffi runSync + CUDA graph" },
  { key: "native_graph_reused", label: "native + CUDA graph, reused outputs" },
  { key: "ffi_graph_reused", label: "ffi + CUDA graph, reused outputs" },
  { key: "torch_eager", label: "PyTorch eager" },
  { key: "torch_graph", label: "PyTorch CUDA graph replay" },
] as const;

export type RowKey = (typeof ROWS)[number]["key"];
