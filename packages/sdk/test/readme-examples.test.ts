/**
 * Every TypeScript and JavaScript example in the README.md at the repository
 * root and in packages/*\/README.md, checked as a user would use it.
 *
 * The convention: the nearest non-blank line before each ```ts / ```js /
 * ```mjs fence is an HTML comment (invisible on the rendered page) that says
 * how the block is checked. A block without one fails this test.
 *
 * - `<!-- example: run -->` (js, mjs): a complete program. It is saved as
 *   `example.mjs` in a fresh directory that holds `model.trtengine` (the
 *   sample engine of examples/engines: x float32 [batch, 8] -> y float32
 *   [batch, 4]), `model.engine` (the same engine as a raw plan) and `x.npy`
 *   (its sample input), and run with the `node` that
 *   runs this test (Node 20 in CI, the oldest supported), TensorRT being the
 *   emulator. It must exit 0 and write nothing to stderr.
 * - `<!-- example: typecheck -->` (ts): type-checked as an ES module with the
 *   repository's TypeScript against the built packages' declarations, with
 *   the options a Node 20 project using `using` would have (strict, NodeNext,
 *   target ES2022, lib ES2022 + ESNext.Disposable). A block that continues
 *   earlier text names what it takes from it:
 *   `<!-- example: typecheck (given: module, inputs) -->`; each name has a
 *   declaration in support/readme-checks.ts (GIVEN).
 * - `<!-- example: fragment (reason) -->`: a sketch that is not meant to
 *   compile; shown as it is, and the reason says why.
 *
 * Blocks in other languages (sh, json, plain) are not checked. The last
 * describe block feeds deliberately broken examples through the same checks
 * and expects them to fail.
 */
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scanReadme, type ReadmeBlock } from "./support/readme-blocks.js";
import { examplesRoot, runBlock, typecheckBlocks } from "./support/readme-checks.js";
import { repo } from "./support/cli.js";

const readmes = ["README.md", ...readdirSync(join(repo, "packages")).map((name) => join("packages", name, "README.md"))].filter((file) =>
  existsSync(join(repo, file)),
);
const scans = readmes.map((file) => scanReadme(file, readFileSync(join(repo, file), "utf8")));
const blocks = scans.flatMap((scan) => scan.blocks);
const typecheckExamples = blocks.filter((b) => b.mode === "typecheck");
const runExamples = blocks.filter((b) => b.mode === "run");

const dir = examplesRoot();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An example that is not in any README, for the checks' own tests. */
function example(lang: string, mode: ReadmeBlock["mode"], code: string): ReadmeBlock {
  return { file: "broken.md", line: 1, lang, code, mode, given: [] };
}

describe("README examples", () => {
  it("carry a valid marker on every TypeScript and JavaScript block", () => {
    expect(readmes).toContain(join("packages", "sdk", "README.md"));
    expect(scans.flatMap((scan) => scan.problems)).toEqual([]);
    expect(typecheckExamples.length).toBeGreaterThan(0);
    expect(runExamples.length).toBeGreaterThan(0);
  });

  it("show the plain JavaScript form wherever an example uses `using`", () => {
    for (const file of readmes) {
      const own = blocks.filter((b) => b.file === file);
      if (own.some((b) => /^\s*(await\s+)?using\s/m.test(b.code))) {
        expect(own.filter((b) => b.mode === "run").length, file).toBeGreaterThan(0);
      }
    }
  });

  describe("typecheck", () => {
    let results: string[][] = [];
    // One TypeScript program over every block: loading Node's and the packages' declarations takes
    // seconds alone, many times that on two busy cores (vitest.config.ts allows 120 s).
    beforeAll(() => {
      results = typecheckBlocks(typecheckExamples, dir);
    });

    it.each(typecheckExamples.map((block, index) => ({ where: `${block.file}:${block.line}`, index })))("$where", ({ index }) => {
      expect(results[index]).toEqual([]);
    });
  });

  describe("run", () => {
    // Each starts node and the emulator: under a second alone; the run's own bound is CHILD_TIMEOUT_MS.
    it.each(runExamples.map((block) => ({ where: `${block.file}:${block.line}`, block })))("$where", async ({ block }) => {
      const { outcome, problems } = await runBlock(block, dir);
      expect(problems).toEqual([]);
      expect(outcome.code).toBe(0);
    });
  });
});

describe("the checks fail a broken example", () => {
  const nodeParsesUsing = (() => {
    try {
      new Function("{ using x = null; }");
      return true;
    } catch {
      return false;
    }
  })();

  // The two typecheck cases each build a TypeScript program: about a second alone, more on two busy cores.
  it("a type error in a TypeScript example", () => {
    const broken = example("ts", "typecheck", `import { TensorRTModule } from "@trt/sdk";\nconst module = await TensorRTModule.load("model.trtengine");\nawait module.runn({});\n`);
    const [problems] = typecheckBlocks([broken], dir);
    expect(problems).toHaveLength(1);
    expect(problems![0]).toMatch(/^broken\.md:4: TS2551: Property 'runn' does not exist on type 'TensorRTModule'/);
  });

  it("a name a typecheck example takes but the test cannot declare", () => {
    const [problems] = typecheckBlocks([{ ...example("ts", "typecheck", "export {};\n"), given: ["nonesuch"] }], dir);
    expect(problems).toEqual([`broken.md:1: "given: nonesuch" has no declaration in readme-checks.ts GIVEN`]);
  });

  // Each starts node and the emulator, as the README runs above.
  it("a JavaScript example that throws", async () => {
    const code = `import { TensorRTModule } from "@trt/sdk";\nconst module = await TensorRTModule.load("model.trtengine");\nawait module.run({ z: new Float32Array(8) });\n`;
    const { outcome, problems } = await runBlock(example("js", "run", code), dir);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toMatch(/InputError/);
    expect(problems).toEqual(["broken.md:1: node exited with 1", expect.stringMatching(/^broken\.md:1: stderr: .*InputError/s)]);
  });

  it("a JavaScript example importing a name the package does not export", async () => {
    const { problems } = await runBlock(example("mjs", "run", `import { NoSuchExport } from "@trt/sdk";\nconsole.log(NoSuchExport);\n`), dir);
    expect(problems).toHaveLength(2);
    expect(problems[1]).toMatch(/SyntaxError: .*does not provide an export named 'NoSuchExport'/);
  });

  it("a JavaScript example that works but warns", async () => {
    const { outcome, problems } = await runBlock(example("js", "run", `process.emitWarning("careful");\n`), dir);
    expect(outcome.code).toBe(0);
    expect(problems).toEqual([expect.stringMatching(/^broken\.md:1: stderr: .*Warning: careful/s)]);
  });

  it.skipIf(nodeParsesUsing)("the README's TypeScript example run as plain JavaScript on a Node without `using`", async () => {
    const original = typecheckExamples.find((b) => b.file === "README.md" && /using result = await module\.run/.test(b.code));
    expect(original).toBeDefined();
    const { problems } = await runBlock({ ...original!, lang: "js", mode: "run" }, dir);
    expect(problems).toHaveLength(2);
    expect(problems[1]).toMatch(/SyntaxError: Unexpected identifier 'result'/);
  });

  it("a block without a marker, a misplaced marker, and a marker that does not parse", () => {
    const text = [
      "```ts", "const a = 1;", "```", // 1: unmarked
      "<!-- example: run -->", "```ts", "const b = 2;", "```", // 5: run on ts
      "<!-- example: typecheck (module) -->", "```ts", "```", // 9: detail without "given:"
      "<!-- example: fragment -->", "```ts", "```", // 12: fragment without a reason
      "<!-- example: compile -->", "```js", "```", // 15: unknown mode
      "<!-- example: run -->", "prose", // 17: no block follows
      "```sh", "echo not checked", "```",
    ].join("\n");
    const scan = scanReadme("m.md", text);
    expect(scan.blocks.map((b) => b.line)).toEqual([1, 5, 9, 12, 15, 19]);
    expect(scan.problems.map((p) => p.split(":").slice(0, 2).join(":"))).toEqual(["m.md:1", "m.md:5", "m.md:8", "m.md:11", "m.md:14", "m.md:17"]);
  });
});
