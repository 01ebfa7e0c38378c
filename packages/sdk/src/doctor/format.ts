/** The human-readable `trt doctor` report: one section per part, then the verdict and what to install. */
import { ALLOW_ENGINE_HOST_CODE_ENV, describeVariant } from "@trt/runtime/advanced";
import type { DoctorReport } from "./diagnose.js";
import type { LibraryAttempt, TensorRTAttempt } from "./probe-tensorrt.js";

const KEY = 10;
const row = (key: string, value: string): string => `  ${key.padEnd(KEY)}${value}`;
const more = (value: string): string => `  ${" ".repeat(KEY)}${value}`;

/** What one loaded candidate is: its version, and for libnvinfer its variant and whether it is the emulator. */
function loadedText(c: LibraryAttempt | TensorRTAttempt): string {
  const parts = [`version ${c.version ?? "unknown"}`];
  if ("variant" in c) parts.push(c.variant === "full" ? "full runtime" : describeVariant(c.variant));
  if ("emulator" in c && c.emulator) parts.push("the project's emulator");
  if (c.resolvedPath && c.resolvedPath !== c.candidate) parts.push(`at ${c.resolvedPath}`);
  return `loaded, ${parts.join(", ")}`;
}

/** One line per candidate in search order; the one that would be used is marked. */
function candidateLines(candidates: readonly (LibraryAttempt | TensorRTAttempt)[]): string[] {
  return candidates.map((c, i) => {
    const text = `${c.candidate} (${c.origin}): ${c.error === null ? loadedText(c) : c.error}${c.used ? "  <- used" : ""}`;
    return i === 0 ? row("candidate", text) : more(text);
  });
}

/** "libnvinfer.so.11 / libnvinfer.so.10" for a search that found nothing. */
const names = (candidates: readonly LibraryAttempt[]): string => candidates.map((a) => a.candidate).join(" / ");

function tensorrtSection(r: DoctorReport): string[] {
  const t = r.tensorrt;
  const lines = ["TensorRT (libnvinfer)"];
  if (!t.found) {
    lines.push(row("status", `${names(t.candidates)} not found`), ...candidateLines(t.candidates));
    return lines;
  }
  lines.push(...candidateLines(t.candidates), row("found", t.resolvedPath ?? t.path!));
  if (t.emulator) {
    const cuda = t.emulator.info.cuda === true ? "built with CUDA" : "host-only build";
    lines.push(row("is", `the TensorRT EMULATOR ${t.emulator.version} at ${t.path} (not TensorRT), ${t.emulator.mode} mode, ${cuda}; presents TensorRT ${t.version}`));
  } else {
    lines.push(row("is", `TensorRT ${t.version}, ${describeVariant(t.variant ?? "full")}`));
  }
  lines.push(
    row(
      "host code",
      r.settings.allowEngineHostCode
        ? "allowed: engines that carry host code (lean runtime embedded, plugins) are deserialized and run that code"
        : `refused (allow it with --allow-engine-host-code or ${ALLOW_ENGINE_HOST_CODE_ENV}=1, only for engines you trust)`,
    ),
  );
  return lines;
}

function cudaSection(r: DoctorReport): string[] {
  const { driver, runtime, gpus, gpuError } = r.cuda;
  const lines = ["CUDA"];
  if (driver.found) {
    lines.push(row("driver", [driver.kernelModule, driver.library].filter(Boolean).join("; ")));
  } else {
    lines.push(row("driver", `no NVIDIA driver found (no /proc/driver/nvidia/version; libcuda.so.1: ${driver.error ?? "not loaded"})`));
  }
  if (runtime.found) {
    const driverCuda = runtime.driverVersion === null ? "no driver to run it" : `the driver supports CUDA ${runtime.driverVersion}`;
    lines.push(row("runtime", `CUDA runtime ${runtime.version} at ${runtime.resolvedPath ?? runtime.path} (${driverCuda})`));
  } else {
    lines.push(row("runtime", `${names(runtime.candidates)} not found`));
  }
  lines.push(...candidateLines(runtime.candidates));
  if (gpus.length === 0) {
    lines.push(row("GPUs", `none: no CUDA driver/GPU found${gpuError ? ` (${gpuError})` : ""}`));
  } else {
    gpus.forEach((g, i) => {
      const text = `cuda:${g.ordinal} ${g.name}, sm ${g.major}.${g.minor}, ${(g.totalMemoryBytes / 2 ** 30).toFixed(1)} GiB`;
      lines.push(i === 0 ? row("GPUs", text) : more(text));
    });
  }
  return lines;
}

function engineSection(r: DoctorReport): string[] {
  const { ffi, native } = r;
  const ffiText = ffi.available ? `available (koffi ${ffi.koffi.version} over libnvinfer)` : `unavailable: ${ffi.reason}${ffi.koffi.error ? ` (${ffi.koffi.error})` : ""}`;
  let nativeText: string;
  if (!native.installed) nativeText = "not installed (@trt/native is optional)";
  else if (native.available) nativeText = `available (${native.addonPath})`;
  else nativeText = `unavailable (${native.reason}): ${native.detail}`;
  const lines = ["Engine implementations", row("ffi", ffiText), row("native", nativeText)];
  // Without TensorRT, the addon's own search repeats the one listed under TensorRT above.
  const sameSearch = native.reason === "library-not-found" && !r.tensorrt.found;
  if (native.installed && !native.available && !sameSearch) lines.push(...native.tried.map((t, i) => (i === 0 ? row("tried", t) : more(t))));
  lines.push(row("auto", r.auto ? `picks ${r.auto}` : "nothing can load"));
  return lines;
}

function pluginSection(r: DoctorReport): string[] {
  const p = r.plugins;
  if (!p) return ["Plugins", row("status", "not checked: no engine implementation loads")];
  const standard = p.standard.path
    ? `${p.standard.path}: ${p.standard.creators} creators registered (initLibNvInferPlugins${p.standard.reason ? `; ${p.standard.reason}` : ""})`
    : `not loaded: ${p.standard.reason ?? "not found"}`;
  const lines = ["Plugins", row("TensorRT", standard)];
  p.libraries.forEach((l, i) => {
    const text = `${l.path} (${l.origin}): ${l.creators} creator${l.creators === 1 ? "" : "s"}`;
    lines.push(i === 0 ? row("library", text) : more(text));
  });
  if (p.error) lines.push(row("error", `${p.error.code}: ${p.error.message}`));
  lines.push(row("creators", `${p.creators} registered in all`));
  return lines;
}

function verdict(r: DoctorReport): string[] {
  const device =
    r.device === "host" ? "host:0 (the emulator's host stand-in; no GPU used)" : r.device === "cuda" ? `cuda (${r.cuda.gpus.length} GPU${r.cuda.gpus.length === 1 ? "" : "s"})` : "none";
  let status: string;
  if (!r.ready && r.plugins?.error) status = `NOT READY: a plugin library does not load (${r.plugins.error.code}; see below)`;
  else if (!r.ready) status = "NOT READY: engines cannot run here (see below)";
  else if (r.tensorrt.emulator) status = `ready for emulator plans only, on ${r.auto} (this is not TensorRT)`;
  else status = `ready: TensorRT engines run here on ${r.auto}`;
  return [row("device", device), row("status", status)];
}

/**
 * Where no TensorRT loads, the one way to see the SDK run: the project's emulator, as
 * the demo uses it. Named as what it is, never as a way to run TensorRT engines.
 */
function emulatorSection(r: DoctorReport): string[] {
  if (r.tensorrt.found) return [];
  const what = "the project's TensorRT emulator runs its own plans (such as examples/engines/sample.trtengine) on the CPU; it is not TensorRT and runs no TensorRT engine";
  if (r.emulator.path === null) return ["Without TensorRT", `  ${what}. It is in the source repository (tools/emulator): \`npm run demo\` there.`];
  return ["Without TensorRT", `  ${what}. It is built here:`, `  trt --nvinfer ${r.emulator.path} run FILE`];
}

/** The report as text. */
export function formatDoctorReport(r: DoctorReport): string {
  const header = `trt doctor: @trt/sdk ${r.sdk}, Node ${r.node.version}, ${r.node.platform} ${r.node.arch}`;
  const sections = [[header], tensorrtSection(r), cudaSection(r), engineSection(r), pluginSection(r), ["Verdict", ...verdict(r)]];
  if (r.advice.length > 0) sections.push(["What to install", ...r.advice.map((a) => `  - ${a}`)]);
  const emulator = emulatorSection(r);
  if (emulator.length > 0) sections.push(emulator);
  return `${sections.map((s) => s.join("\n")).join("\n\n")}\n`;
}
