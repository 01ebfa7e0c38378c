// Kernel launchers of the CUDA backend. Each element function is the one the
// host kernels use (numeric.h), so both modes produce the same bits.
#pragma once

#include <cuda_runtime.h>

#include <cstdint>

#include "dtype.h"
#include "numeric.h"

namespace emu {
namespace cuda {

struct ShapeArg {
  int32_t rank;
  int64_t d[8];
};

cudaError_t launchArith(num::Op op, DType t, const void* a, const void* b, void* out, int64_t n, cudaStream_t s);
cudaError_t launchCast(DType from, const void* in, DType to, void* out, int64_t n, cudaStream_t s);
cudaError_t launchMatmul(const float* x, const float* w, const float* bias, uint32_t k, uint32_t n, int64_t rows,
                         float* y, cudaStream_t s);
// y[r, j] += bias[j] over [rows, n]: the bias step after a cuBLAS gemm.
cudaError_t launchAddBias(float* y, const float* bias, uint32_t n, int64_t rows, cudaStream_t s);
cudaError_t launchNonzeroCount(DType t, const void* in, int64_t n, int64_t* count, cudaStream_t s);
cudaError_t launchNonzeroWrite(DType t, const void* in, ShapeArg shape, int64_t n, int64_t count, DType indexType, void* out,
                               cudaStream_t s);
cudaError_t launchSpin(uint64_t nanoseconds, cudaStream_t s);

}  // namespace cuda
}  // namespace emu
