import { describe, expect, it } from "vitest";

import { buildPlan, crc32, PLAN_HEADER_SIZE } from "../src/index.js";

/** An independent writer for the expected bytes, straight from the README's table. */
class Expect {
  readonly bytes: number[] = [];
  u32(v: number): this {
    for (let i = 0; i < 4; i++) this.bytes.push((v >>> (8 * i)) & 0xff);
    return this;
  }
  i64(v: number): this {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigInt64(0, BigInt(v), true);
    this.bytes.push(...b);
    return this;
  }
  str(s: string): this {
    this.u32(s.length);
    for (const c of s) this.bytes.push(c.charCodeAt(0));
    return this;
  }
  f32(v: number): this {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, v, true);
    this.bytes.push(...b);
    return this;
  }
}

describe("plan layout (format version 1)", () => {
  it("writes an identity plan byte for byte", () => {
    const plan = buildPlan({
      name: "id",
      inputs: [{ name: "x", dtype: "int32", shape: [2] }],
      layers: [{ op: "identity", name: "L", input: "x", output: "y" }],
      outputs: ["y"],
    });
    const e = new Expect();
    for (const c of "TRTEMUPL") e.bytes.push(c.charCodeAt(0));
    e.u32(1).u32(0).i64(plan.length).u32(0).u32(0); // version, flags, total size, required major, reserved
    e.str("id").u32(0).i64(0).i64(0); // name, verbosity, scratch, streamable weights
    e.u32(2); // tensors
    e.str("x").u32(1).u32(3).u32(1).i64(2); // input int32 [2]
    e.str("y").u32(2).u32(3).u32(1).i64(2); // output int32 [2]
    e.u32(1).i64(2).i64(2).i64(2); // one profile: min, opt, max of x
    e.u32(1).str("L").u32(0).u32(1).u32(0).u32(1).u32(1).u32(0); // layer: identity x -> y, no params
    e.u32(0); // aliases
    const body = Uint8Array.from(e.bytes);
    e.u32(crc32(body));
    expect(Array.from(plan)).toEqual(e.bytes);
  });

  it("writes a plugin layer's creator as three strings, the namespace possibly empty", () => {
    const plan = buildPlan({
      name: "pl",
      inputs: [{ name: "x", dtype: "float32", shape: [2] }],
      layers: [{ op: "plugin", name: "P", input: "x", output: "y", plugin: { name: "Nms", version: "1" } }],
      outputs: ["y"],
    });
    const layer = new Expect().str("P").u32(9).u32(1).u32(0).u32(1).u32(1); // name, kind 9, input x, output y
    layer.u32(4 + 3 + 4 + 1 + 4).str("Nms").str("1").u32(0); // parameters: name, version, empty namespace
    const bytes = Array.from(plan);
    const at = bytes.findIndex((_, i) => layer.bytes.every((b, j) => bytes[i + j] === b));
    expect(at).toBeGreaterThan(PLAN_HEADER_SIZE);
    expect(bytes.slice(at + layer.bytes.length, at + layer.bytes.length + 4)).toEqual([0, 0, 0, 0]); // then no aliases
  });

  it("stores flags, options and the checksum in the header and trailer", () => {
    const plan = buildPlan({
      name: "opts",
      inputs: [{ name: "x", dtype: "float32", shape: [4] }],
      layers: [{ op: "relu", name: "r", input: "x", output: "y" }],
      outputs: ["y"],
      requiresHostCode: true,
      requiredMajor: 11,
      scratchBytes: 4096,
      streamableWeightsBytes: 1 << 20,
      profilingVerbosity: "detailed",
    });
    const view = new DataView(plan.buffer, plan.byteOffset, plan.byteLength);
    expect(new TextDecoder().decode(plan.subarray(0, 8))).toBe("TRTEMUPL");
    expect(view.getUint32(8, true)).toBe(1);
    expect(view.getUint32(12, true)).toBe(1); // requires host code
    expect(Number(view.getBigUint64(16, true))).toBe(plan.length);
    expect(view.getUint32(24, true)).toBe(11);
    const nameEnd = PLAN_HEADER_SIZE + 4 + 4;
    expect(view.getInt32(nameEnd, true)).toBe(2); // kDETAILED
    expect(Number(view.getBigUint64(nameEnd + 4, true))).toBe(4096);
    expect(Number(view.getBigInt64(nameEnd + 12, true))).toBe(1 << 20);
    expect(view.getUint32(plan.length - 4, true)).toBe(crc32(plan.subarray(0, plan.length - 4)));
  });

  it("writes matmul weights and bias inline after k, n and the bias flag", () => {
    const plan = buildPlan({
      inputs: [{ name: "x", dtype: "float32", shape: [1, 2] }],
      layers: [{ op: "matmul", name: "mm", input: "x", output: "y", k: 2, n: 3, weights: [1, 2, 3, 4, 5, 6], bias: [0.5, -1, 7] }],
      outputs: ["y"],
    });
    const e = new Expect().u32(2).u32(3).u32(1);
    for (const v of [1, 2, 3, 4, 5, 6, 0.5, -1, 7]) e.f32(v);
    const params = Uint8Array.from(e.bytes);
    // Parameter bytes are preceded by their length (12 + 9 * 4 = 48).
    const withLength = Uint8Array.from([...new Expect().u32(48).bytes, ...params]);
    const at = plan.findIndex((_, i) => withLength.every((b, j) => plan[i + j] === b));
    expect(at).toBeGreaterThan(PLAN_HEADER_SIZE);
  });

  it("encodes concat's axis and busywait's microseconds", () => {
    const plan = buildPlan({
      inputs: [{ name: "a", dtype: "float32", shape: [2, 2] }],
      layers: [
        { op: "concat", name: "c", inputs: ["a", "a"], output: "b", axis: 1 },
        { op: "busywait", name: "w", input: "b", output: "y", microseconds: 1234 },
      ],
      outputs: ["y"],
    });
    const find = (bytes: number[]) => plan.findIndex((_, i) => bytes.every((b, j) => plan[i + j] === b));
    expect(find([...new Expect().u32(4).u32(1).bytes])).toBeGreaterThan(0);
    expect(find([...new Expect().u32(4).u32(1234).bytes])).toBeGreaterThan(0);
  });
});
