import type { LayerOp } from "./format.js";

/**
 * "symbolic": from declared shapes, where -1 is a dynamic dim that another
 * operand may pin; "concrete": from real shapes, which must agree exactly.
 */
export type ShapeMode = "symbolic" | "concrete";

/** The parts of a layer shape inference reads. */
export interface ShapeRule {
  readonly op: LayerOp;
  readonly k?: number;
  readonly n?: number;
  readonly axis?: number;
}

/** A shape rule violation; the resolver turns it into a PlanError. */
export class ShapeError extends Error {}

const fmt = (s: readonly number[]): string => `[${s.join(",")}]`;

function merge(a: number, b: number, mode: ShapeMode): number | undefined {
  if (a === b) return a;
  if (mode === "symbolic" && (a < 0 || b < 0)) return a < 0 ? b : a;
  return undefined;
}

function sameRank(shapes: readonly (readonly number[])[]): void {
  const rank = shapes[0]?.length;
  for (const s of shapes) {
    if (s.length !== rank) throw new ShapeError(`inputs have different ranks (${fmt(shapes[0] ?? [])} and ${fmt(s)})`);
  }
}

/**
 * Output shape of one layer from its input shapes — the rules of the C++
 * reader (native/src/shapes.cpp), so the builder refuses what it would refuse.
 * NonZero gives [rank, -1]: its count is known only from the data.
 */
export function inferLayerShape(rule: ShapeRule, inputs: readonly (readonly number[])[], mode: ShapeMode): number[] {
  const in0 = inputs[0] ?? [];
  switch (rule.op) {
    case "identity":
    case "relu":
    case "cast":
    case "busywait":
    case "plugin":
      return [...in0];
    case "add":
    case "mul": {
      sameRank(inputs);
      const in1 = inputs[1] ?? [];
      return in0.map((d, i) => {
        const m = merge(d, in1[i] as number, mode);
        if (m === undefined) {
          throw new ShapeError(`input shapes ${fmt(in0)} and ${fmt(in1)} differ in dimension ${i} (no broadcasting)`);
        }
        return m;
      });
    }
    case "matmul": {
      if (in0.length < 1) throw new ShapeError("input must have rank >= 1");
      const last = in0[in0.length - 1] as number;
      if (!(mode === "symbolic" && last < 0) && last !== rule.k) {
        throw new ShapeError(`input ${fmt(in0)} has ${last} in its last dimension, the weights expect ${rule.k}`);
      }
      return [...in0.slice(0, -1), rule.n ?? 0];
    }
    case "concat": {
      sameRank(inputs);
      const axis = rule.axis ?? 0;
      if (!Number.isInteger(axis) || axis < 0 || axis >= in0.length) {
        throw new ShapeError(`axis ${axis} is outside rank ${in0.length}`);
      }
      const out = [...in0];
      let sum = 0;
      for (const s of inputs) {
        for (let i = 0; i < out.length; i++) {
          if (i === axis) continue;
          const m = merge(out[i] as number, s[i] as number, mode);
          if (m === undefined) {
            throw new ShapeError(`input shapes ${fmt(in0)} and ${fmt(s)} differ outside the concatenation axis`);
          }
          out[i] = m;
        }
        const d = s[axis] as number;
        sum = sum < 0 || d < 0 ? -1 : sum + d;
      }
      out[axis] = sum;
      return out;
    }
    case "nonzero":
      return [in0.length, -1];
  }
}

/** Element count of a fully known shape, or -1. */
export function volume(shape: readonly number[]): number {
  let v = 1;
  for (const d of shape) {
    if (d < 0) return -1;
    v *= d;
  }
  return v;
}
