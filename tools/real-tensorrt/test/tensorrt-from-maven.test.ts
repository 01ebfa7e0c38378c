/**
 * tensorrt-from-maven.sh on a stand-in jar (a zip laid out as the JavaCPP
 * redistribution is, a few bytes a library): whole or in parts, the libraries
 * land in TRT_DIR/lib byte for byte and nothing else does; a file of the
 * wrong checksum (a partial download, a part missing) is refused before
 * anything is written. Skipped where python3 is missing.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const script = resolve(dirname(fileURLToPath(import.meta.url)), "..", "tensorrt-from-maven.sh");
const hasPython = spawnSync("python3", ["--version"]).status === 0;
const dir = mkdtempSync(join(tmpdir(), "trt-maven-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const LIBS: Record<string, string> = {
  "libnvinfer.so.10": "the runtime",
  "libnvinfer_builder_resource.so.10.6.0": "the builder's kernels",
  "libnvinfer_plugin.so.10": "the standard plugins",
};

/** A jar with TensorRT's libraries, the JNI glue beside them and the metadata Java reads. */
function standInJar(path: string): string {
  const entries = {
    ...Object.fromEntries(Object.entries(LIBS).map(([name, text]) => [`org/bytedeco/tensorrt/linux-x86_64/${name}`, text])),
    "org/bytedeco/tensorrt/linux-x86_64/libjninvinfer.so": "JNI glue",
    "META-INF/native-image/linux-x86_64/jninvinfer/jni-config.json": "{}",
  };
  const made = spawnSync("python3", ["-c", "import json,sys,zipfile\nz=zipfile.ZipFile(sys.argv[1],'w',zipfile.ZIP_DEFLATED)\nfor k,v in json.loads(sys.argv[2]).items(): z.writestr(k,v)\nz.close()", path, JSON.stringify(entries)]);
  expect(made.status, String(made.stderr)).toBe(0);
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

function run(args: string[], sha256: string) {
  const r = spawnSync("bash", [script, ...args], { encoding: "utf8", timeout: 60_000, env: { ...process.env, TRT_JAR_SHA256: sha256 } });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

describe.skipIf(!hasPython)("tensorrt-from-maven.sh", () => {
  const jar = join(dir, "stand-in.jar");
  const sha256 = hasPython ? standInJar(jar) : "";

  it("extracts TensorRT's libraries from a jar, and only those", () => {
    const target = join(dir, "whole");
    const r = run([target, jar], sha256);
    expect(r.status, r.output).toBe(0);
    expect(readdirSync(join(target, "lib")).sort()).toEqual(Object.keys(LIBS).sort());
    for (const [name, text] of Object.entries(LIBS)) expect(readFileSync(join(target, "lib", name), "utf8")).toBe(text);
    expect(r.output).toContain(`${target}/lib/libnvinfer.so.10`);
  });

  it("joins the jar from its parts in name order", () => {
    const parts = join(dir, "parts");
    mkdirSync(parts);
    const bytes = readFileSync(jar);
    const third = Math.ceil(bytes.length / 3);
    // Written out of order: the script must sort them.
    for (const i of [2, 0, 1]) writeFileSync(join(parts, `part-0${i}`), bytes.subarray(i * third, (i + 1) * third));
    const target = join(dir, "from-parts");
    const r = run([target, parts], sha256);
    expect(r.status, r.output).toBe(0);
    expect(readFileSync(join(target, "lib", "libnvinfer_plugin.so.10"), "utf8")).toBe(LIBS["libnvinfer_plugin.so.10"]);
  });

  it("refuses a jar whose checksum is not the release's, saying both, and writes no library", () => {
    const parts = join(dir, "missing-part");
    mkdirSync(parts);
    const bytes = readFileSync(jar);
    writeFileSync(join(parts, "part-00"), bytes.subarray(0, Math.floor(bytes.length / 2)));
    const target = join(dir, "refused");
    const r = run([target, parts], sha256);
    expect(r.status).toBe(1);
    expect(r.output).toContain(`expected ${sha256}`);
    expect(r.output).toMatch(/sha256 [0-9a-f]{64}/);
    expect(readdirSync(join(target, "lib"))).toEqual([]);
  });

  it("says so when a file or folder named is not there", () => {
    const r = run([join(dir, "nowhere"), join(dir, "no-such.jar")], sha256);
    expect(r.status).toBe(2);
    expect(r.output).toContain("no such file or folder");
    expect(existsSync(join(dir, "nowhere", "lib", "libnvinfer.so.10"))).toBe(false);
  });
});
