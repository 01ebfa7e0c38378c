#!/usr/bin/env node
// The `trt-server` bin. pnpm links bins when it installs, before dist/ exists in a fresh
// clone, and skips any whose file is missing; this committed launcher is always
// there and loads the built CLI, or says how to build it.
try {
  await import("../dist/cli.js");
} catch (e) {
  if (e && e.code === "ERR_MODULE_NOT_FOUND" && String(e.message).includes("dist/cli.js")) {
    process.stderr.write("error [NOT_BUILT]: @trt/server is not built; build it first from the repository's root: `npm exec --yes --package=pnpm@10.34.8 -- pnpm turbo run build --filter=@trt/server...`\n");
    process.exit(1);
  }
  throw e;
}
