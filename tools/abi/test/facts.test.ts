/**
 * Checks every slot, signature and value the project's tables list against
 * the ABI facts measured from NVIDIA's published headers (shared/tensorrt-abi,
 * beside the repository). The facts are not part of the repository, so the
 * check is skipped, loudly, where they are absent.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadData, repoRoot, supportedMajors } from "../src/generate.js";
import type { AbiData, MethodEntry } from "../src/schema.js";

const factsDir = process.env.TRT_ABI_FACTS_DIR ?? join(repoRoot, "..", "shared", "tensorrt-abi");
const haveFacts = existsSync(join(factsDir, "trt10.json"));
if (!haveFacts) console.warn(`ABI facts not found in ${factsDir}; set TRT_ABI_FACTS_DIR to check the tables`);

interface Facts extends Omit<AbiData, "callerInterfaces" | "pluginInterfaces" | "pluginEntryPoints"> {
  callerInterfaces: Record<string, { interfaceInfo: unknown; slots: MethodEntry[] | string }>;
  // Not in every edition of the facts: the plugin tables were measured later (see data/README.md).
  pluginInterfaces?: Record<string, { interfaceInfo: unknown; slots: MethodEntry[] }>;
  pluginEntryPoints?: AbiData["pluginEntryPoints"];
}

const same = (a: MethodEntry, b: MethodEntry) => a.name === b.name && a.params === b.params;

describe.skipIf(!haveFacts).each(supportedMajors)("TensorRT %i table", (major) => {
  const ours = loadData(major);
  // A skipped suite's body still runs to collect its tests: read the facts only where they exist.
  const facts = (haveFacts ? JSON.parse(readFileSync(join(factsDir, `trt${major}.json`), "utf8")) : {}) as Facts;

  it("names the library and entry points the facts name", () => {
    expect(ours.library.file).toBe(facts.library.file);
    for (const entry of ours.entryPoints) {
      expect(facts.entryPoints.find((e) => e.name === entry.name)).toMatchObject({ returns: entry.returns, params: entry.params });
    }
  });

  it("lists every implementation method at its published slot with its published signature", () => {
    for (const [cls, methods] of Object.entries(ours.implClasses)) {
      const published = facts.implClasses[cls];
      expect(published, cls).toBeDefined();
      for (const m of methods) {
        const match = published!.find((p) => same(p, m));
        expect(match, `${cls}.${m.name}(${m.params})`).toBeDefined();
        expect({ slot: m.slot, returns: m.returns, const: m.const, since: m.since }).toEqual({
          slot: match!.slot,
          returns: match!.returns,
          const: match!.const,
          since: match!.since,
        });
      }
      // The vtable size is one past the last published slot: the emulator fills exactly that many.
      expect(ours.vtableSize[cls]).toBe(Math.max(...published!.map((p) => p.slot)) + 1);
    }
  });

  it("copies the complete slot layout of every caller interface", () => {
    for (const [name, iface] of Object.entries(ours.callerInterfaces)) {
      const published = facts.callerInterfaces[name];
      expect(published, name).toBeDefined();
      expect(iface.slots).toEqual(published!.slots);
      expect(iface.interfaceInfo).toEqual(published!.interfaceInfo);
    }
  });

  // The facts files predating the plugin tables say nothing about them; the
  // tables were measured the same way (see data/README.md) and are checked
  // here as soon as the facts carry them.
  const havePluginFacts = haveFacts && facts.pluginInterfaces !== undefined;
  if (haveFacts && !havePluginFacts) console.warn(`ABI facts in ${factsDir} have no pluginInterfaces; the plugin tables are not checked against them`);
  it.skipIf(!havePluginFacts)("copies the complete slot layout of every plugin interface", () => {
    for (const [name, iface] of Object.entries(ours.pluginInterfaces)) {
      const published = facts.pluginInterfaces![name];
      expect(published, name).toBeDefined();
      expect(iface.slots.map(({ id: _id, ...rest }) => rest)).toEqual(published!.slots);
      expect(iface.interfaceInfo).toEqual(published!.interfaceInfo);
    }
    for (const entry of ours.pluginEntryPoints) {
      expect(facts.pluginEntryPoints?.find((e) => e.name === entry.name)).toMatchObject({ returns: entry.returns, params: entry.params });
    }
  });

  it("has the published enum values, element sizes and struct layouts", () => {
    for (const [name, values] of Object.entries(ours.enums)) {
      // Severity and HardwareCompatibilityLevel are not in the facts files; see data/README.md.
      if (facts.enums[name]) expect(values, name).toEqual(facts.enums[name]);
    }
    expect(ours.dataTypeBits).toEqual(facts.dataTypeBits);
    expect(ours.structs).toEqual(facts.structs);
  });
});
