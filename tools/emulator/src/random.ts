/**
 * Deterministic numbers for fixture weights (a 32-bit LCG, Numerical
 * Recipes constants), so any test can rebuild the exact values a fixture holds.
 */
export function seededValues(seed: number, count: number, low = -0.5, high = 0.5): Float32Array {
  const out = new Float32Array(count);
  let s = seed >>> 0;
  for (let i = 0; i < count; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = low + (s / 2 ** 32) * (high - low);
  }
  return out;
}
