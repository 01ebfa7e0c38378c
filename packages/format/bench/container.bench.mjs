#!/usr/bin/env node
// Container benchmark: parse time of a large engine file next to a plain read of the
// same file, encode/write time, and CRC-32 throughput.
//
//   pnpm bench                 1 GiB engine, table on stdout
//   BENCH_QUICK=1 pnpm bench   64 MiB engine
//   pnpm bench -- --json       JSON on stdout instead of the table
//   BENCH_SIZE_MIB=256         any other size
//
// Uses the built package (dist/): run `pnpm build` first (turbo's bench task does).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { createSerializedEngine, crc32, decodeContainer, encodeContainer } from "../dist/index.js";
import { hasNativeCrc32, nodeCrc32, readEngineFile, readEngineFileSync, writeEngineFile } from "../dist/node.js";

const json = process.argv.includes("--json");
const quick = process.env.BENCH_QUICK === "1";
const mib = Number(process.env.BENCH_SIZE_MIB ?? (quick ? 64 : 1024));
const size = mib * 1024 * 1024;
const repeats = Number(process.env.BENCH_REPEATS ?? (quick ? 5 : 3));
const log = (...args) => {
  if (!json) console.error(...args);
};

// Engine bytes: a pseudo-random 64 KiB block repeated (doubling copies keep this fast).
function makeEngine(n) {
  const out = new Uint8Array(n);
  let x = 12345;
  const block = Math.min(n, 65536);
  for (let i = 0; i < block; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    out[i] = x >>> 24;
  }
  for (let filled = block; filled < n; filled *= 2) out.copyWithin(filled, 0, Math.min(filled, n - filled));
  return out;
}

async function time(fn) {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

async function measure(name, fn) {
  const runs = [];
  for (let i = 0; i < repeats; i++) runs.push(await time(fn));
  runs.sort((a, b) => a - b);
  const median = runs[Math.floor(runs.length / 2)];
  log(`  ${name}: ${runs.map((r) => r.toFixed(0)).join(" ")} ms`);
  return { name, medianMs: median, minMs: runs[0], runsMs: runs, mibPerS: mib / (median / 1000) };
}

const dir = mkdtempSync(join(tmpdir(), "trt-format-bench-"));
try {
  log(`engine ${mib} MiB, ${repeats} runs each, node ${process.version}, ${cpus().length} cpus, native crc32: ${hasNativeCrc32}`);
  const value = createSerializedEngine({
    name: "bench_engine",
    engine: makeEngine(size),
    inputBindingNames: ["x"],
    outputBindingNames: ["y"],
    device: { gpuId: 0, smMajor: 9, smMinor: 0, deviceType: 0, deviceName: "NVIDIA H100 80GB HBM3" },
  });
  const path = join(dir, "bench.trtengine");
  const plainPath = join(dir, "plain.bin");

  const results = {};
  results.writeEngineFile = await measure("writeEngineFile (stream + crc, no fsync)", () => writeEngineFile(path, value, { durable: false }));
  let encoded;
  results.encodeContainer = await measure("encodeContainer (in memory, native crc)", () => {
    encoded = encodeContainer(value, { checksum: nodeCrc32 });
  });
  results.plainWrite = await measure("plain fs.writeFileSync of the same bytes", () => writeFileSync(plainPath, encoded));
  // Alternate the order of the plain read and the parse so neither always goes first.
  const reads = { plainReadAsync: [], readEngineFile: [], plainReadSync: [], readEngineFileSync: [], readNoCrc: [] };
  for (let i = 0; i < repeats; i++) {
    const pair = [
      ["plainReadAsync", () => readFile(path)],
      ["readEngineFile", () => readEngineFile(path)],
    ];
    for (const [k, fn] of i % 2 ? pair.reverse() : pair) reads[k].push(await time(fn));
    reads.plainReadSync.push(await time(() => readFileSync(path)));
    reads.readEngineFileSync.push(await time(() => readEngineFileSync(path)));
    reads.readNoCrc.push(await time(() => readEngineFile(path, { verifyChecksum: false })));
  }
  const summarize = (name, runs) => {
    const sorted = [...runs].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)];
    log(`  ${name}: ${sorted.map((r) => r.toFixed(0)).join(" ")} ms`);
    return { name, medianMs: median, minMs: sorted[0], runsMs: sorted, mibPerS: mib / (median / 1000) };
  };
  results.plainReadAsync = summarize("plain fs.promises.readFile", reads.plainReadAsync);
  results.readEngineFile = summarize("readEngineFile (parse + crc verify)", reads.readEngineFile);
  results.plainReadSync = summarize("plain fs.readFileSync", reads.plainReadSync);
  results.readEngineFileSync = summarize("readEngineFileSync (parse + crc verify)", reads.readEngineFileSync);
  results.readNoCrc = summarize("readEngineFile (verifyChecksum: false)", reads.readNoCrc);
  results.decodeContainerNative = await measure("decodeContainer in memory (native crc)", () => decodeContainer(encoded, { checksum: nodeCrc32 }));
  results.decodeContainerJs = await measure("decodeContainer in memory (JS table crc)", () => decodeContainer(encoded));
  results.crcJs = await measure("crc32 JS slicing-by-16", () => crc32(value.engine));
  results.crcNative = await measure("crc32 zlib native", () => nodeCrc32(value.engine));

  const ratio = (a, b) => results[a].medianMs / results[b].medianMs;
  const report = {
    engineMiB: mib,
    repeats,
    node: process.version,
    cpus: cpus().length,
    nativeCrc32: hasNativeCrc32,
    ratios: {
      readEngineFileVsPlainRead: ratio("readEngineFile", "plainReadAsync"),
      readEngineFileSyncVsPlainRead: ratio("readEngineFileSync", "plainReadSync"),
      readNoCrcVsPlainRead: ratio("readNoCrc", "plainReadAsync"),
      writeEngineFileVsPlainWrite: ratio("writeEngineFile", "plainWrite"),
    },
    results,
  };
  if (json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    const rows = Object.values(results).map((r) => [r.name, r.medianMs.toFixed(1), r.minMs.toFixed(1), r.mibPerS.toFixed(0)]);
    const header = ["measurement", "median ms", "min ms", "MiB/s"];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
    console.log(`\n@trt/format container bench: ${mib} MiB engine, median of ${repeats}\n`);
    console.log(line(header));
    console.log(widths.map((w) => "-".repeat(w)).join("  "));
    for (const r of rows) console.log(line(r));
    console.log("");
    for (const [k, v] of Object.entries(report.ratios)) console.log(`${k.padEnd(32)} ${v.toFixed(2)}x`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
