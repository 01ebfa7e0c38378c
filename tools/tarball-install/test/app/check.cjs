// Run in the installed app as CommonJS: the same as check.mjs through require(),
// including the errors of @trt/format/node and of TensorRTModule.load, which must
// be instances of the FormatError require("@trt/sdk") gives. Prints one JSON object.
const { readEngineFileSync } = require("@trt/format/node");
const { FormatError, TensorRTModule, withRuntime } = require("@trt/sdk");
const { probeNative } = require("@trt/sdk/native");

const [sample, notAnEngine] = process.argv.slice(2);
const x = Float32Array.from({ length: 16 }, (_, i) => (i - 7) / 4);

async function runSample(implementation) {
  return withRuntime(implementation, async () => {
    const module = await TensorRTModule.load(sample);
    try {
      const result = await module.run({ x: { data: x, shape: [2, 8] } });
      const y = Array.from(await result.get("y").toArray());
      result.dispose();
      return y;
    } finally {
      module.release();
    }
  });
}

async function caught(fn) {
  try {
    await fn();
    return null;
  } catch (e) {
    return e;
  }
}

(async () => {
  const fromLoad = await caught(() => TensorRTModule.load(notAnEngine));
  const fromRead = await caught(() => readEngineFileSync(notAnEngine));
  const probe = probeNative();
  process.stdout.write(
    JSON.stringify({
      native: await runSample("native"),
      ffi: await runSample("ffi"),
      addon: probe.ok ? probe.binding.addonPath : probe.error.message,
      errors: {
        load: [fromLoad && fromLoad.code, fromLoad instanceof FormatError],
        read: [fromRead && fromRead.code, fromRead instanceof FormatError],
      },
    }),
  );
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
