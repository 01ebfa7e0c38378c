// Reference implementations of every layer on host memory. The CUDA kernels
// compute the same element functions (numeric.h), in the same order where
// order matters (matmul accumulation, NonZero index order).
#pragma once

#include <cstdint>
#include <vector>

#include "backend.h"

namespace emu {
namespace host {

void add(const TensorArg& a, const TensorArg& b, const TensorArg& out);
void mul(const TensorArg& a, const TensorArg& b, const TensorArg& out);
void relu(const TensorArg& in, const TensorArg& out);
void cast(const TensorArg& in, const TensorArg& out);
void matmul(const TensorArg& x, const float* w, const float* bias, uint32_t k, uint32_t n, const TensorArg& out);
void concat(const std::vector<TensorArg>& ins, int axis, const TensorArg& out);
int64_t nonzeroCount(const TensorArg& in);
// out: [rank, count], in the layer's index type.
template <typename Index>
void nonzeroWrite(const TensorArg& in, int64_t count, Index* out);
void spin(uint32_t micros);

}  // namespace host
}  // namespace emu
