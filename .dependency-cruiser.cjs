// What may import what, checked on every `npm test` (`pnpm lint:deps`):
//
// - no import cycles, between files or between folders (type-only imports count:
//   a cycle of types is a cycle of ideas);
// - the packages' layering: format and settings use none of ours; native uses
//   none of ours; runtime uses format, settings and (lazily, optionally) native;
//   sdk and server sit on top; tools are never imported by a package;
// - the runtime's folders in layers, each importing only from the layers below it.

/** The runtime's folders, lowest first: a folder may import its own files and those of folders before it. */
const RUNTIME_LAYERS = [
  ["abi", "engine"], // generated ABI tables; the engine contract (types)
  ["errors", "libraries"], // typed errors; where TensorRT and CUDA libraries are looked for
  ["device", "native", "selection", "profiling"], // CUDA and host devices; the addon's adapter; the runtime choice (process state); profiling data
  ["ffi", "memory"], // the koffi engine; the device memory pool
  ["cache", "placement"], // runtime caches; ComputeDevice and engine placement
  ["environment"], // TensorRTEnvironment: libraries, backends, devices, resolving the runtime choice
  ["tensor"], // Tensor (a device name such as "cuda:1" resolves in the default environment)
  ["validation"], // bindings, input checks, profiles, output plans
  ["run"], // what one run holds (RunResources)
  ["graphs"], // CUDA graph capture and replay
  ["module"], // TensorRTModule, the executor, lanes
];

/** Packages and the packages of ours each may import (by name or by path). */
const PACKAGE_DEPENDENCIES = {
  format: [],
  settings: [],
  native: [],
  runtime: ["format", "settings", "native"],
  sdk: ["format", "settings", "runtime", "native"],
  server: ["format", "runtime"],
};
const PACKAGES = Object.keys(PACKAGE_DEPENDENCIES);

const runtimeLayerRules = RUNTIME_LAYERS.flatMap((layer, i) => {
  const above = RUNTIME_LAYERS.slice(i + 1).flat();
  if (above.length === 0) return [];
  return [
    {
      name: `runtime-layer-${layer.join("-")}`,
      comment: `runtime/src/{${layer.join(",")}} may import only the folders below it (.dependency-cruiser.cjs RUNTIME_LAYERS)`,
      severity: "error",
      from: { path: `^packages/runtime/src/(${layer.join("|")})/` },
      to: { path: `^packages/runtime/src/(${above.join("|")})/` },
    },
  ];
});

const packageRules = PACKAGES.map((name) => {
  const forbidden = PACKAGES.filter((other) => other !== name && !PACKAGE_DEPENDENCIES[name].includes(other));
  return {
    name: `package-${name}`,
    comment: `@trt/${name} may import ${PACKAGE_DEPENDENCIES[name].map((p) => `@trt/${p}`).join(", ") || "none of the other packages"}`,
    severity: "error",
    from: { path: `^packages/${name}/src/` },
    to: { path: `^(@trt/(${forbidden.join("|")})(/|$)|packages/(${forbidden.join("|")})/)` },
  };
});

module.exports = {
  forbidden: [
    { name: "no-circular", comment: "an import cycle between files", severity: "error", from: {}, to: { circular: true } },
    { name: "no-folder-circular", comment: "an import cycle between folders", severity: "error", scope: "folder", from: {}, to: { circular: true } },
    ...packageRules,
    {
      name: "packages-not-on-tools",
      comment: "published packages never import the repository's tools (the emulator, bench, ABI codegen)",
      severity: "error",
      // The one exception: `trt doctor` looks for the emulator at run time (a checkout of the repository has it) to point at it.
      from: { path: "^packages/[^/]+/src/", pathNot: "^packages/sdk/src/doctor/probe-emulator\\.ts$" },
      to: { path: "^(@trt/(emulator|abi|bench|real-tensorrt|tarball-install)(/|$)|tools/)" },
    },
    ...runtimeLayerRules,
  ],
  options: {
    // Other packages are seen where their imports lead (dist/ or node_modules), never cruised into.
    doNotFollow: { path: "(^|/)(node_modules|dist|build)/" },
    // Type-only imports count too.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.base.json" },
  },
};
