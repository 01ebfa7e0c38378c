#include "host_kernels.h"

#include <chrono>
#include <cstring>

#include "numeric.h"

namespace emu {
namespace host {

void add(const TensorArg& a, const TensorArg& b, const TensorArg& out) {
  for (int64_t i = 0; i < out.count; ++i) num::arithElement(num::Op::kAdd, a.dtype, a.data, b.data, out.data, i);
}

void mul(const TensorArg& a, const TensorArg& b, const TensorArg& out) {
  for (int64_t i = 0; i < out.count; ++i) num::arithElement(num::Op::kMul, a.dtype, a.data, b.data, out.data, i);
}

void relu(const TensorArg& in, const TensorArg& out) {
  for (int64_t i = 0; i < out.count; ++i) num::arithElement(num::Op::kRelu, in.dtype, in.data, nullptr, out.data, i);
}

void cast(const TensorArg& in, const TensorArg& out) {
  for (int64_t i = 0; i < out.count; ++i) num::castElement(in.dtype, in.data, out.dtype, out.data, i);
}

void matmul(const TensorArg& x, const float* w, const float* bias, uint32_t k, uint32_t n, const TensorArg& out) {
  const int64_t rows = n ? out.count / n : 0;
  const auto* xs = static_cast<const float*>(x.data);
  auto* ys = static_cast<float*>(out.data);
  for (int64_t r = 0; r < rows; ++r)
    for (uint32_t j = 0; j < n; ++j) ys[r * n + j] = num::matmulElement(xs, w, bias, k, n, r, j);
}

void concat(const std::vector<TensorArg>& ins, int axis, const TensorArg& out) {
  // View every tensor as [outer, chunk]: outer = product of dims before the
  // axis; each input contributes its own contiguous chunk per outer row.
  const int elem = dtypeSize(out.dtype);
  int64_t outer = 1;
  for (int i = 0; i < axis; ++i) outer *= out.dims.d[i];
  const int64_t outRow = outer ? out.count / outer * elem : 0;
  auto* dst = static_cast<uint8_t*>(out.data);
  int64_t colOffset = 0;
  for (const TensorArg& in : ins) {
    const int64_t chunk = outer ? in.count / outer * elem : 0;
    const auto* src = static_cast<const uint8_t*>(in.data);
    for (int64_t r = 0; r < outer && chunk > 0; ++r) std::memcpy(dst + r * outRow + colOffset, src + r * chunk, chunk);
    colOffset += chunk;
  }
}

int64_t nonzeroCount(const TensorArg& in) {
  int64_t c = 0;
  for (int64_t i = 0; i < in.count; ++i) c += num::isNonZero(in.dtype, in.data, i) ? 1 : 0;
  return c;
}

template <typename Index>
void nonzeroWrite(const TensorArg& in, int64_t count, Index* out) {
  const int rank = in.dims.nbDims;
  int64_t j = 0;
  for (int64_t i = 0; i < in.count && j < count; ++i) {
    if (!num::isNonZero(in.dtype, in.data, i)) continue;
    // Row-major coordinates of flat index i, last dimension fastest.
    int64_t rest = i;
    for (int d = rank - 1; d >= 0; --d) {
      out[d * count + j] = static_cast<Index>(rest % in.dims.d[d]);
      rest /= in.dims.d[d];
    }
    ++j;
  }
}
template void nonzeroWrite<int32_t>(const TensorArg&, int64_t, int32_t*);
template void nonzeroWrite<int64_t>(const TensorArg&, int64_t, int64_t*);

void spin(uint32_t micros) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::microseconds(micros);
  while (std::chrono::steady_clock::now() < until) {
  }
}

}  // namespace host
}  // namespace emu
