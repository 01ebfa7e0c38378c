/** A fresh directory per test, removed afterwards. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach } from "vitest";

export function useTempDir(): { readonly path: string } {
  const holder = { path: "" };
  beforeEach(() => {
    holder.path = mkdtempSync(join(tmpdir(), "trt-runtime-"));
  });
  afterEach(() => {
    rmSync(holder.path, { recursive: true, force: true });
  });
  return holder;
}
