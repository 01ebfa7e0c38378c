// The CUDA kernels. Simple on purpose: grid-stride loops over elements, one
// thread per matmul output accumulating in the host's order, and NonZero in a
// single block so its indices come out in row-major order without a global scan.
#include "cuda_kernels.cuh"

namespace emu {
namespace cuda {

namespace {

constexpr int kThreads = 256;

unsigned blocksFor(int64_t n) {
  const int64_t b = (n + kThreads - 1) / kThreads;
  return static_cast<unsigned>(b < 1 ? 1 : (b > 65535 ? 65535 : b));
}

__device__ int64_t globalIndex() { return static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x; }
__device__ int64_t globalStride() { return static_cast<int64_t>(gridDim.x) * blockDim.x; }

__global__ void arithKernel(num::Op op, DType t, const void* a, const void* b, void* out, int64_t n) {
  for (int64_t i = globalIndex(); i < n; i += globalStride()) num::arithElement(op, t, a, b, out, i);
}

__global__ void castKernel(DType from, const void* in, DType to, void* out, int64_t n) {
  for (int64_t i = globalIndex(); i < n; i += globalStride()) num::castElement(from, in, to, out, i);
}

__global__ void matmulKernel(const float* x, const float* w, const float* bias, uint32_t k, uint32_t n, int64_t rows,
                             float* y) {
  const int64_t total = rows * n;
  for (int64_t i = globalIndex(); i < total; i += globalStride())
    y[i] = num::matmulElement(x, w, bias, k, n, i / n, static_cast<uint32_t>(i % n));
}

__global__ void addBiasKernel(float* y, const float* bias, uint32_t n, int64_t total) {
  for (int64_t i = globalIndex(); i < total; i += globalStride()) y[i] = y[i] + bias[i % n];
}

// Each thread owns one contiguous chunk, so chunk order is index order.
__device__ void chunkOf(int64_t n, int64_t& begin, int64_t& end) {
  const int64_t chunk = (n + blockDim.x - 1) / blockDim.x;
  begin = threadIdx.x * chunk;
  end = begin + chunk < n ? begin + chunk : n;
}

__device__ int64_t countChunk(DType t, const void* in, int64_t begin, int64_t end) {
  int64_t c = 0;
  for (int64_t i = begin; i < end; ++i) c += num::isNonZero(t, in, i) ? 1 : 0;
  return c;
}

__global__ void nonzeroCountKernel(DType t, const void* in, int64_t n, int64_t* count) {
  __shared__ int64_t partial[kThreads];
  int64_t begin, end;
  chunkOf(n, begin, end);
  partial[threadIdx.x] = countChunk(t, in, begin, end);
  __syncthreads();
  if (threadIdx.x == 0) {
    int64_t total = 0;
    for (int i = 0; i < kThreads; ++i) total += partial[i];
    *count = total;
  }
}

template <typename Index>
__global__ void nonzeroWriteKernel(DType t, const void* in, ShapeArg shape, int64_t n, int64_t count, Index* out) {
  __shared__ int64_t offset[kThreads];
  int64_t begin, end;
  chunkOf(n, begin, end);
  offset[threadIdx.x] = countChunk(t, in, begin, end);
  __syncthreads();
  if (threadIdx.x == 0) {  // exclusive scan of 256 counts: cheap next to the data pass
    int64_t run = 0;
    for (int i = 0; i < kThreads; ++i) {
      const int64_t c = offset[i];
      offset[i] = run;
      run += c;
    }
  }
  __syncthreads();
  int64_t j = offset[threadIdx.x];
  for (int64_t i = begin; i < end && j < count; ++i) {
    if (!num::isNonZero(t, in, i)) continue;
    int64_t rest = i;
    for (int d = shape.rank - 1; d >= 0; --d) {
      out[d * count + j] = static_cast<Index>(rest % shape.d[d]);
      rest /= shape.d[d];
    }
    ++j;
  }
}

// Spins on the GPU's nanosecond timer, so the time shows up in CUDA events
// as real GPU work (clock64 would depend on the SM clock of the moment).
__global__ void spinKernel(uint64_t nanoseconds) {
  uint64_t start, now;
  asm volatile("mov.u64 %0, %%globaltimer;" : "=l"(start));
  do {
    asm volatile("mov.u64 %0, %%globaltimer;" : "=l"(now));
  } while (now - start < nanoseconds);
}

}  // namespace

cudaError_t launchArith(num::Op op, DType t, const void* a, const void* b, void* out, int64_t n, cudaStream_t s) {
  if (n <= 0) return cudaSuccess;
  arithKernel<<<blocksFor(n), kThreads, 0, s>>>(op, t, a, b, out, n);
  return cudaGetLastError();
}

cudaError_t launchCast(DType from, const void* in, DType to, void* out, int64_t n, cudaStream_t s) {
  if (n <= 0) return cudaSuccess;
  castKernel<<<blocksFor(n), kThreads, 0, s>>>(from, in, to, out, n);
  return cudaGetLastError();
}

cudaError_t launchMatmul(const float* x, const float* w, const float* bias, uint32_t k, uint32_t n, int64_t rows,
                         float* y, cudaStream_t s) {
  if (rows <= 0 || n == 0) return cudaSuccess;
  matmulKernel<<<blocksFor(rows * n), kThreads, 0, s>>>(x, w, bias, k, n, rows, y);
  return cudaGetLastError();
}

cudaError_t launchAddBias(float* y, const float* bias, uint32_t n, int64_t rows, cudaStream_t s) {
  if (rows <= 0 || n == 0) return cudaSuccess;
  addBiasKernel<<<blocksFor(rows * n), kThreads, 0, s>>>(y, bias, n, rows * n);
  return cudaGetLastError();
}

cudaError_t launchNonzeroCount(DType t, const void* in, int64_t n, int64_t* count, cudaStream_t s) {
  nonzeroCountKernel<<<1, kThreads, 0, s>>>(t, in, n, count);
  return cudaGetLastError();
}

cudaError_t launchNonzeroWrite(DType t, const void* in, ShapeArg shape, int64_t n, int64_t count, DType indexType, void* out,
                               cudaStream_t s) {
  if (count <= 0) return cudaSuccess;
  if (indexType == DType::kINT32)
    nonzeroWriteKernel<int32_t><<<1, kThreads, 0, s>>>(t, in, shape, n, count, static_cast<int32_t*>(out));
  else
    nonzeroWriteKernel<int64_t><<<1, kThreads, 0, s>>>(t, in, shape, n, count, static_cast<int64_t*>(out));
  return cudaGetLastError();
}

cudaError_t launchSpin(uint64_t nanoseconds, cudaStream_t s) {
  spinKernel<<<1, 1, 0, s>>>(nanoseconds);
  return cudaGetLastError();
}

}  // namespace cuda
}  // namespace emu
