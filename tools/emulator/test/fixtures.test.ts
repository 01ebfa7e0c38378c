import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, describe, expect, it } from "vitest";

import { buildFixtures, buildPlan, crc32, FIXTURES, invalidPlans, resolvePlan, seededValues, type MatMulLayer } from "../src/index.js";

const dir = mkdtempSync(join(tmpdir(), "trt-emu-fixtures-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("fixtures", () => {
  const set = buildFixtures(dir);

  it("writes every fixture as a checksummed plan", () => {
    expect(Object.keys(set.plans).sort()).toEqual(Object.keys(FIXTURES).sort());
    for (const file of Object.values(set.plans)) {
      const bytes = new Uint8Array(readFileSync(file));
      expect(new TextDecoder().decode(bytes.subarray(0, 8))).toBe("TRTEMUPL");
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      expect(Number(view.getBigUint64(16, true))).toBe(bytes.length);
      expect(view.getUint32(bytes.length - 4, true)).toBe(crc32(bytes.subarray(0, bytes.length - 4)));
    }
  });

  it("covers the behaviours the runtime tests need", () => {
    expect(Object.keys(FIXTURES)).toEqual(
      expect.arrayContaining(["identity_f32", "add_dynamic", "every_dtype", "mlp3", "nonzero", "busywait", "cast", "concat", "host_code", "aliased"]),
    );
    expect(FIXTURES.add_dynamic?.profiles).toHaveLength(2);
    expect(FIXTURES.host_code?.requiresHostCode).toBe(true);
    expect(FIXTURES.mlp3_streaming?.weightStreaming).toBe(true);
    expect(FIXTURES.aliased?.aliases).toEqual({ cache_out: "cache" });
    expect(FIXTURES.every_dtype?.inputs.map((i) => i.dtype).sort()).toEqual(
      ["bfloat16", "bool", "float16", "float32", "int32", "int64", "int8", "uint8"],
    );
  });

  it("counts every matmul's weights and bias as streamable when built with weight streaming", () => {
    expect(resolvePlan(FIXTURES.mlp3_streaming!).streamableWeightsBytes).toBe((16 * 32 + 32 + 32 * 32 + 32 + 32 * 8 + 8) * 4);
    expect(resolvePlan(FIXTURES.mlp3!).streamableWeightsBytes).toBe(0);
    expect(resolvePlan(FIXTURES.weight_streaming!).streamableWeightsBytes).toBe(1 << 20);
    // Only the header's streamable-weights field differs from mlp3's plan (and the name and checksum).
    expect(buildPlan(FIXTURES.mlp3_streaming!).length).toBe(buildPlan({ ...FIXTURES.mlp3!, name: "mlp3_streaming" }).length);
  });

  it("writes a manifest with each fixture's tensors", () => {
    const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));
    expect(manifest.fixtures.nonzero.tensors[1]).toMatchObject({ name: "indices", shape: [2, -1], dataDependent: true });
    expect(manifest.invalid).toContain("truncated");
  });

  it("writes the plans the reader must refuse", () => {
    for (const name of Object.keys(invalidPlans())) expect(existsSync(join(dir, "invalid", `${name}.plan`))).toBe(true);
    expect(readFileSync(set.invalid.empty!).length).toBe(0);
  });

  it("derives weights deterministically", () => {
    const fc1 = FIXTURES.mlp3?.layers[0] as MatMulLayer;
    expect(Array.from(fc1.weights)).toEqual(Array.from(seededValues(1000, 16 * 32)));
    const v = seededValues(1, 3);
    expect(Array.from(v)).toEqual(Array.from(seededValues(1, 3)));
    for (const x of seededValues(7, 1000)) expect(x >= -0.5 && x < 0.5).toBe(true);
  });
});
