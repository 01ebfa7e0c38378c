#!/usr/bin/env node
// Entry point for the README's two commands (`npm run demo`, `npm test`).
// They must work on a machine that has only Node and npm, so this script makes
// sure the pinned pnpm is available, installs the workspace, then hands over to
// turbo. It works the same when started through pnpm.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const pinned = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).packageManager; // "pnpm@x.y.z"
const pinnedVersion = pinned.split("@")[1];

const tasks = {
  // Builds only what the demo needs, then inspects the engine file the repo ships.
  demo: [
    "pnpm turbo run build --filter=@trt/sdk --output-logs=errors-only",
    "pnpm exec trt inspect examples/engines/sample.trtengine",
  ],
  // The whole suite: build, lint, typecheck and every package's tests.
  test: ["pnpm turbo run build lint typecheck test --output-logs=new-only"],
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

const result = spawnSync(command[0], command[1], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1" },
});
process.exit(result.status ?? 1);
