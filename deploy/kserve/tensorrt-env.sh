#!/bin/sh
# Points trt-server at TensorRT and the CUDA runtime in /opt/tensorrt/lib when a
# folder is mounted there (the image built without NVIDIA's wheels); otherwise
# the wheels in $VIRTUAL_ENV are found on their own. Then runs the command,
# with exec, so trt-server is PID 1 and gets SIGTERM itself (and drains).
set -eu
if [ -f /opt/tensorrt/lib/libnvinfer.so.10 ]; then
  export TRT_NVINFER_PATH="${TRT_NVINFER_PATH:-/opt/tensorrt/lib/libnvinfer.so.10}"
fi
if [ -f /opt/tensorrt/lib/libcudart.so.12 ]; then
  export TRT_CUDART_PATH="${TRT_CUDART_PATH:-/opt/tensorrt/lib/libcudart.so.12}"
fi
exec "$@"
