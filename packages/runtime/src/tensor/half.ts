/**
 * IEEE half and bfloat16 conversions. JS has no 16-bit float array on Node 20,
 * so half and bf16 tensors are read as Float32Array (converted here) or as
 * Uint16Array bit patterns (`{ raw: true }`). Float32 to 16 bits rounds to
 * nearest even, as TensorRT's and the emulator's casts do.
 */

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The float16 bit pattern nearest to `value` (ties to even; overflow to infinity; NaN stays NaN). */
export function float32ToHalfBits(value: number): number {
  f32[0] = value;
  const x = u32[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant !== 0 ? 0x200 | (mant >>> 13) : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    // Subnormal half: the value is m * 2^-24 with m = (1.mant) >> (14 - e); smaller than half of 2^-24 rounds to zero.
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let half = mant >>> shift;
    const rest = mant & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    if (rest > halfway || (rest === halfway && (half & 1) === 1)) half++;
    return sign | half;
  }
  // Normal: a carry out of the mantissa on rounding moves into the exponent, up to infinity, which is right.
  let half = (e << 10) | (mant >>> 13);
  const rest = mant & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && (half & 1) === 1)) half++;
  return sign | half;
}

/** The number a float16 bit pattern holds. */
export function halfBitsToFloat32(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >>> 10) & 0x1f;
  const mant = bits & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant !== 0 ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

/** The bfloat16 bit pattern nearest to `value` (the top half of float32, rounded to nearest even). */
export function float32ToBf16Bits(value: number): number {
  f32[0] = value;
  const x = u32[0]!;
  if ((x & 0x7f800000) === 0x7f800000 && (x & 0x7fffff) !== 0) return ((x >>> 16) & 0x8000) | 0x7fc0;
  return Math.floor((x + 0x7fff + ((x >>> 16) & 1)) / 0x10000) & 0xffff;
}

/** The number a bfloat16 bit pattern holds. */
export function bf16BitsToFloat32(bits: number): number {
  u32[0] = (bits & 0xffff) << 16;
  return f32[0]!;
}

/** Float32Array to 16-bit patterns of `kind`. */
export function encode16(values: Float32Array, kind: "half" | "bf16"): Uint16Array {
  const out = new Uint16Array(values.length);
  const convert = kind === "half" ? float32ToHalfBits : float32ToBf16Bits;
  for (let i = 0; i < values.length; i++) out[i] = convert(values[i]!);
  return out;
}

/** 16-bit patterns of `kind` to a Float32Array. */
export function decode16(bits: Uint16Array, kind: "half" | "bf16"): Float32Array {
  const out = new Float32Array(bits.length);
  const convert = kind === "half" ? halfBitsToFloat32 : bf16BitsToFloat32;
  for (let i = 0; i < bits.length; i++) out[i] = convert(bits[i]!);
  return out;
}
