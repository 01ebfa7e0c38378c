// Element conversions and arithmetic shared by the host kernels and the CUDA
// kernels. Both modes compile exactly this code, so they agree bit for bit:
// f16/bf16 are converted in software (round to nearest even), float math
// never gets contracted into FMAs behind our back (-ffp-contract=off on the
// host, --fmad=false for nvcc), and the one FMA we want is spelled out.
#pragma once

#include <cstdint>
#include <cmath>
#include <cstring>

#include "dtype.h"

#ifdef __CUDACC__
#define EMU_HD __host__ __device__ __forceinline__
#else
#define EMU_HD inline
#endif

namespace emu {
namespace num {

EMU_HD uint32_t floatBits(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }
EMU_HD float bitsFloat(uint32_t u) { float f; memcpy(&f, &u, 4); return f; }

EMU_HD float halfToFloat(uint16_t h) {
  const uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
  const uint32_t e = (h >> 10) & 0x1fu;
  const uint32_t m = h & 0x3ffu;
  if (e == 0) {
    // Zero or subnormal: m * 2^-24 is exact in float.
    const float v = static_cast<float>(m) * 5.9604644775390625e-8f;
    return sign ? -v : v;
  }
  if (e == 31) return bitsFloat(sign | 0x7f800000u | (m << 13));
  return bitsFloat(sign | ((e + 112u) << 23) | (m << 13));
}

EMU_HD uint16_t floatToHalf(float f) {
  const uint32_t x = floatBits(f);
  const uint32_t sign = (x >> 16) & 0x8000u;
  const uint32_t a = x & 0x7fffffffu;
  if (a >= 0x7f800000u) {  // inf stays inf, NaN stays a quiet NaN
    return static_cast<uint16_t>(sign | 0x7c00u | (a > 0x7f800000u ? 0x200u | ((a >> 13) & 0x3ffu) : 0u));
  }
  if (a >= 0x477ff000u) return static_cast<uint16_t>(sign | 0x7c00u);  // >= 65520 rounds to inf
  if (a < 0x38800000u) {  // below 2^-14: half subnormal (or zero)
    if (a <= 0x33000000u) return static_cast<uint16_t>(sign);  // <= 2^-25 rounds (ties-to-even) to zero
    const uint32_t mant = (a & 0x7fffffu) | 0x800000u;
    const uint32_t shift = 126u - (a >> 23);  // 14..24
    uint32_t h = mant >> shift;
    const uint32_t rem = mant & ((1u << shift) - 1u);
    const uint32_t halfway = 1u << (shift - 1u);
    if (rem > halfway || (rem == halfway && (h & 1u))) ++h;
    return static_cast<uint16_t>(sign | h);
  }
  uint32_t h = (a - 0x38000000u) >> 13;  // rebias exponent 127 -> 15
  const uint32_t rem = a & 0x1fffu;
  if (rem > 0x1000u || (rem == 0x1000u && (h & 1u))) ++h;  // a carry into the exponent is correct rounding
  return static_cast<uint16_t>(sign | h);
}

EMU_HD float bf16ToFloat(uint16_t b) { return bitsFloat(static_cast<uint32_t>(b) << 16); }

EMU_HD uint16_t floatToBf16(float f) {
  const uint32_t x = floatBits(f);
  if ((x & 0x7fffffffu) > 0x7f800000u) return static_cast<uint16_t>((x >> 16) | 0x40u);  // quiet NaN
  const uint32_t rounded = x + 0x7fffu + ((x >> 16) & 1u);
  return static_cast<uint16_t>(rounded >> 16);
}

// One element, widened: floats as float, integers and bool as int64.
struct Wide {
  bool isFloat;
  float f;
  int64_t i;
};

EMU_HD bool isFloatType(DType t) { return t == DType::kFLOAT || t == DType::kHALF || t == DType::kBF16; }

EMU_HD Wide load(DType t, const void* base, int64_t idx) {
  Wide w{false, 0.0f, 0};
  switch (t) {
    case DType::kFLOAT: w.isFloat = true; memcpy(&w.f, static_cast<const uint8_t*>(base) + idx * 4, 4); break;
    case DType::kHALF: { uint16_t h; memcpy(&h, static_cast<const uint8_t*>(base) + idx * 2, 2); w.isFloat = true; w.f = halfToFloat(h); break; }
    case DType::kBF16: { uint16_t h; memcpy(&h, static_cast<const uint8_t*>(base) + idx * 2, 2); w.isFloat = true; w.f = bf16ToFloat(h); break; }
    case DType::kINT8: w.i = static_cast<const int8_t*>(base)[idx]; break;
    case DType::kUINT8: w.i = static_cast<const uint8_t*>(base)[idx]; break;
    case DType::kBOOL: w.i = static_cast<const uint8_t*>(base)[idx] != 0 ? 1 : 0; break;
    case DType::kINT32: { int32_t v; memcpy(&v, static_cast<const uint8_t*>(base) + idx * 4, 4); w.i = v; break; }
    case DType::kINT64: memcpy(&w.i, static_cast<const uint8_t*>(base) + idx * 8, 8); break;
  }
  return w;
}

// Float -> integer: truncate toward zero, saturate at the type's range, NaN -> 0.
// (Defined here once so both modes agree; C++ leaves out-of-range undefined.)
EMU_HD int64_t saturate(float f, int64_t lo, int64_t hi) {
  if (f != f) return 0;
  const double d = static_cast<double>(f);
  if (d >= static_cast<double>(hi) + 1.0) return hi;  // for int64 both sides round to 2^63
  if (d <= static_cast<double>(lo) - 1.0) return lo;
  return static_cast<int64_t>(d);
}

EMU_HD int64_t clampInt(int64_t v, int64_t lo, int64_t hi) { return v < lo ? lo : (v > hi ? hi : v); }

EMU_HD void storeInt(DType t, void* base, int64_t idx, int64_t v) {
  switch (t) {
    case DType::kINT8: static_cast<int8_t*>(base)[idx] = static_cast<int8_t>(v); break;
    case DType::kUINT8: static_cast<uint8_t*>(base)[idx] = static_cast<uint8_t>(v); break;
    case DType::kBOOL: static_cast<uint8_t*>(base)[idx] = v != 0 ? 1 : 0; break;
    case DType::kINT32: { const int32_t x = static_cast<int32_t>(v); memcpy(static_cast<uint8_t*>(base) + idx * 4, &x, 4); break; }
    case DType::kINT64: memcpy(static_cast<uint8_t*>(base) + idx * 8, &v, 8); break;
    default: break;
  }
}

EMU_HD void storeFloat(DType t, void* base, int64_t idx, float f) {
  switch (t) {
    case DType::kFLOAT: memcpy(static_cast<uint8_t*>(base) + idx * 4, &f, 4); break;
    case DType::kHALF: { const uint16_t h = floatToHalf(f); memcpy(static_cast<uint8_t*>(base) + idx * 2, &h, 2); break; }
    case DType::kBF16: { const uint16_t h = floatToBf16(f); memcpy(static_cast<uint8_t*>(base) + idx * 2, &h, 2); break; }
    default: break;
  }
}

EMU_HD void intRange(DType t, int64_t& lo, int64_t& hi) {
  switch (t) {
    case DType::kINT8: lo = -128; hi = 127; break;
    case DType::kUINT8: lo = 0; hi = 255; break;
    case DType::kBOOL: lo = 0; hi = 1; break;
    case DType::kINT32: lo = -2147483647LL - 1; hi = 2147483647LL; break;
    default: lo = -9223372036854775807LL - 1; hi = 9223372036854775807LL; break;
  }
}

// Cast one element. Into bool: any non-zero (NaN included) is true. Into
// integers: saturating (see saturate). Into floats: round to nearest even.
EMU_HD void castElement(DType from, const void* in, DType to, void* out, int64_t idx) {
  const Wide w = load(from, in, idx);
  if (isFloatType(to)) {
    storeFloat(to, out, idx, w.isFloat ? w.f : static_cast<float>(w.i));
    return;
  }
  if (to == DType::kBOOL) {
    storeInt(to, out, idx, w.isFloat ? (w.f != 0.0f ? 1 : 0) : (w.i != 0 ? 1 : 0));
    return;
  }
  int64_t lo, hi;
  intRange(to, lo, hi);
  storeInt(to, out, idx, w.isFloat ? saturate(w.f, lo, hi) : clampInt(w.i, lo, hi));
}

enum class Op { kAdd, kMul, kRelu };

// Integer arithmetic wraps (two's complement), computed in uint64 so it is
// defined behaviour on both sides; the store truncates to the element type.
EMU_HD void arithElement(Op op, DType t, const void* a, const void* b, void* out, int64_t idx) {
  const Wide x = load(t, a, idx);
  if (isFloatType(t)) {
    float r;
    if (op == Op::kRelu) r = x.f < 0.0f ? 0.0f : x.f;  // NaN and -0 pass through unchanged
    else {
      const float y = load(t, b, idx).f;
      r = op == Op::kAdd ? x.f + y : x.f * y;
    }
    storeFloat(t, out, idx, r);
    return;
  }
  uint64_t r;
  if (op == Op::kRelu) r = static_cast<uint64_t>(x.i < 0 ? 0 : x.i);
  else {
    const uint64_t y = static_cast<uint64_t>(load(t, b, idx).i);
    r = op == Op::kAdd ? static_cast<uint64_t>(x.i) + y : static_cast<uint64_t>(x.i) * y;
  }
  storeInt(t == DType::kBOOL ? DType::kUINT8 : t, out, idx, static_cast<int64_t>(r));
}

EMU_HD bool isNonZero(DType t, const void* base, int64_t idx) {
  const Wide w = load(t, base, idx);
  return w.isFloat ? w.f != 0.0f : w.i != 0;
}

// y[r, j] = fma-accumulate x[r, k] * w[k, j] over k ascending, from 0, then + bias[j].
EMU_HD float matmulElement(const float* x, const float* w, const float* bias, uint32_t k, uint32_t n, int64_t r,
                           uint32_t j) {
  float acc = 0.0f;
  const float* row = x + r * static_cast<int64_t>(k);
  for (uint32_t i = 0; i < k; ++i) acc = fmaf(row[i], w[static_cast<int64_t>(i) * n + j], acc);
  return bias ? acc + bias[j] : acc;
}

}  // namespace num
}  // namespace emu
