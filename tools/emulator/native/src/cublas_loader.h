// cuBLAS, loaded at run time: the CUDA backend runs matmul layers through
// cublasSgemm when a libcublas can be loaded, so the library has no link-time
// (or header) dependency on cuBLAS and still loads where none is installed.
// The few entry points used are declared here from cuBLAS's documented C API
// (handles are opaque pointers, statuses and operations are C enums, i.e. int).
#pragma once

#include <cstddef>
#include <string>

namespace emu {
namespace cublas {

using Handle = void*;    // cublasHandle_t
using Status = int;      // cublasStatus_t
using Operation = int;   // cublasOperation_t

constexpr Status kStatusSuccess = 0;  // CUBLAS_STATUS_SUCCESS
constexpr Operation kOpN = 0;         // CUBLAS_OP_N: the matrix as stored (column-major)

struct Api {
  Status (*create)(Handle* handle) = nullptr;                               // cublasCreate_v2
  Status (*destroy)(Handle handle) = nullptr;                               // cublasDestroy_v2
  Status (*setStream)(Handle handle, void* stream) = nullptr;               // cublasSetStream_v2
  Status (*setWorkspace)(Handle handle, void* workspace, size_t bytes) = nullptr;  // cublasSetWorkspace_v2
  // cublasSgemm_v2: C = alpha * op(A) * op(B) + beta * C, column-major, A m×k, B k×n, C m×n;
  // alpha and beta are host pointers (the handle's default pointer mode).
  Status (*sgemm)(Handle handle, Operation transa, Operation transb, int m, int n, int k, const float* alpha,
                  const float* a, int lda, const float* b, int ldb, const float* beta, float* c, int ldc) = nullptr;
  const char* (*statusName)(Status status) = nullptr;  // cublasGetStatusName (optional)
  std::string library;                                 // the file that was loaded
};

// The library, loaded once per process: TRT_EMU_CUBLAS (a path) when set, else
// libcublas.so.13, then libcublas.so.12 through the system loader. Null, with
// `error` saying what was tried, when none loads or one lacks an entry point.
const Api* api(std::string& error);

// "cublasSgemm_v2: CUBLAS_STATUS_..." for a failed call.
std::string describe(const Api& api, const char* what, Status status);

}  // namespace cublas
}  // namespace emu
