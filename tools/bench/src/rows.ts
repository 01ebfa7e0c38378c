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
  { key: "trt_python", label: "TensorRT Python API: execute_async_v3 (real engines)" },
  { key: "torchtrt_cpp", label: "Torch-TensorRT C++ runtime (real engines)" },
  { key: "torchtrt_cpp_graph", label: "Torch-TensorRT C++ runtime + CUDA graphs (real engines)" },
  { key: "torchtrt_python", label: "Torch-TensorRT Python runtime (real engines)" },
] as const;

/** Rows the Python process measures (PyTorch, and on real engines TensorRT's Python API and Torch-TensorRT). */
export const PYTHON_ROWS = ["torch_eager", "torch_graph", "trt_python", "torchtrt_cpp", "torchtrt_cpp_graph", "torchtrt_python"] as const;

export type RowKey = (typeof ROWS)[number]["key"];
