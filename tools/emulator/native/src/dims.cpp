#include "dims.h"

namespace emu {

Dims64 makeDims(int32_t nb) {
  Dims64 d{};
  d.nbDims = nb;
  return d;
}

Dims64 invalidDims() { return makeDims(-1); }

bool sameDims(const Dims64& a, const Dims64& b) {
  if (a.nbDims != b.nbDims) return false;
  for (int i = 0; i < a.nbDims && i < trt_abi::kMaxDims; ++i)
    if (a.d[i] != b.d[i]) return false;
  return true;
}

bool fullySpecified(const Dims64& d) {
  if (d.nbDims < 0 || d.nbDims > trt_abi::kMaxDims) return false;
  for (int i = 0; i < d.nbDims; ++i)
    if (d.d[i] < 0) return false;
  return true;
}

int64_t volume(const Dims64& d) {
  if (!fullySpecified(d)) return -1;
  int64_t v = 1;
  for (int i = 0; i < d.nbDims; ++i) {
    if (d.d[i] == 0) return 0;
    // Checked multiply: stop before the product can pass the byte limit.
    if (v > kMaxTensorBytes / d.d[i]) return -1;
    v *= d.d[i];
  }
  return v;
}

int64_t byteSize(const Dims64& d, int elementSize) {
  const int64_t v = volume(d);
  if (v < 0 || elementSize <= 0) return -1;
  if (v > kMaxTensorBytes / elementSize) return -1;
  return v * elementSize;
}

std::string dimsToString(const Dims64& d) {
  if (d.nbDims < 0 || d.nbDims > trt_abi::kMaxDims) return "[invalid]";
  std::string s = "[";
  for (int i = 0; i < d.nbDims; ++i) {
    if (i) s += ",";
    s += std::to_string(d.d[i]);
  }
  return s + "]";
}

Dims64 rowMajorStrides(const Dims64& d) {
  if (d.nbDims < 0 || d.nbDims > trt_abi::kMaxDims) return invalidDims();
  Dims64 s = makeDims(d.nbDims);
  int64_t acc = 1;
  for (int i = d.nbDims - 1; i >= 0; --i) {
    s.d[i] = acc;
    if (acc < 0) continue;
    // Unknown dims and absurd sizes both make the outer strides unknown.
    if (d.d[i] < 0 || (d.d[i] > 0 && acc > kMaxTensorBytes / d.d[i])) acc = -1;
    else acc *= d.d[i];
  }
  return s;
}

}  // namespace emu
