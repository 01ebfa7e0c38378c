#!/usr/bin/env node
// Entry point for the README's two commands (`npm run demo`, `npm test`).
// They must work on a machine that has only Node and npm, so this script makes
// sure the pinned pnpm is available, installs the workspace, then hands over to
// turbo. It works the same when started through pnpm.
import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const pinned = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).packageManager; // "pnpm@x.y.z"
const pinnedVersion = pinned.split("@")[1];

// How much of the machine the test run takes at once. Turbo's default runs up to 10 tasks side by
// side; on 2 cores that made a 1.4 s test take over 5 s. So turbo runs one task per core (at most
// 4, since every test task is itself parallel), and each vitest gets its share of the cores as
// workers, so that tasks x workers stays near the core count. Timeouts are sized for a busy
// machine anyway; this keeps the run from being busier than it needs to be.
const cores = availableParallelism();
const concurrency = Math.min(cores, 4);
const vitestWorkers = String(Math.max(1, Math.floor(cores / concurrency)));

const tasks = {
  // Builds only what the demo needs (the SDK and the TensorRT emulator it is tested on), inspects the
  // engine file the repo ships, then runs it on the emulator in host mode (no GPU, and not TensorRT).
  demo: [
    "pnpm turbo run build --filter=@trt/sdk --output-logs=errors-only",
    "pnpm exec trt inspect examples/engines/sample.trtengine",
    "pnpm exec trt --nvinfer tools/emulator/build/host/lib10/libnvinfer.so.10 run examples/engines/sample.trtengine --input x=examples/engines/sample-input.npy",
  ],
  // The whole suite: build, lint, the import rules (no cycles, the layering; .dependency-cruiser.cjs),
  // the public API reports (packages/*/api), typecheck and every package's tests.
  test: [`pnpm turbo run build lint lint:deps api:check typecheck test --concurrency=${concurrency} --output-logs=new-only`],
};

const task = process.argv[2];
if (!task || !(task in tasks)) {
  console.error(`usage: node scripts/workspace.mjs <${Object.keys(tasks).join("|")}>`);
  process.exit(2);
}

const ownPnpm = spawnSync("pnpm", ["--version"], { encoding: "utf8", shell: false });
const havePinned = ownPnpm.status === 0 && ownPnpm.stdout.trim() === pinnedVersion;
const install = process.env.CI ? "pnpm install --frozen-lockfile" : "pnpm install --prefer-offline";
const script = [install, ...tasks[task]].join(" && ");

// Without the pinned pnpm on PATH, npm exec fetches it from the registry and
// puts it on PATH for the whole script, so turbo's child tasks find it too.
const command = havePinned
  ? ["sh", ["-c", script]]
  : ["npm", ["exec", "--yes", `--package=${pinned}`, "--", "sh", "-c", script]];
if (!havePinned) console.error(`[workspace] using ${pinned} through npm exec`);

const env = { ...process.env, TURBO_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1" };
if (task === "test") {
  // vitest reads these for its forks and threads pools (turbo.json passes them through to the tasks).
  env.VITEST_MAX_FORKS ??= vitestWorkers;
  env.VITEST_MAX_THREADS ??= vitestWorkers;
}
if (task !== "test") {
  process.exit(spawnSync(command[0], command[1], { cwd: root, stdio: "inherit", env }).status ?? 1);
}

// The test run's output is passed through unchanged while the closing lines of
// every runner (vitest, ctest) are added up into one total at the end.
const totals = { passed: 0, failed: 0, skipped: 0 };
// A test file that fails to load counts no test as failed, so it is counted on its own.
let failedFiles = 0;
const tally = (line) => {
  const plain = line.replace(/\x1b\[[0-9;]*m/g, "");
  const files = /\bTest Files\s+(\d+) failed/.exec(plain);
  if (files) failedFiles += Number(files[1]);
  const vitest = /\bTests\s+(.*)\(\d+\)\s*$/.exec(plain);
  if (vitest) {
    for (const [, n, kind] of vitest[1].matchAll(/(\d+) (passed|failed|skipped|todo)/g)) {
      totals[kind === "todo" ? "skipped" : kind] += Number(n);
    }
  }
  const ctest = /(\d+)% tests passed, (\d+) tests failed out of (\d+)/.exec(plain);
  if (ctest) {
    totals.failed += Number(ctest[2]);
    totals.passed += Number(ctest[3]) - Number(ctest[2]);
  }
};
const child = spawn(command[0], command[1], { cwd: root, stdio: ["inherit", "pipe", "inherit"], env });
let pending = "";
child.stdout.on("data", (chunk) => {
  process.stdout.write(chunk);
  const lines = (pending + chunk.toString("utf8")).split("\n");
  pending = lines.pop() ?? "";
  lines.forEach(tally);
});
child.on("close", (code) => {
  tally(pending);
  const files = failedFiles > 0 ? ` (${failedFiles} test file${failedFiles === 1 ? "" : "s"} failed)` : "";
  // Turbo stops at the first failing task, so after a failure the totals cover only what ran.
  const partial = code !== 0 ? "; the run stopped at a failure, so not every package ran" : "";
  console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped${files}${partial}`);
  process.exit(code ?? 1);
});
