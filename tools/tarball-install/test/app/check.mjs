// Run in the installed app as an ES module: the sample engine on each engine
// implementation, which addon binary the native one loaded, and whether load
// errors are the FormatError this app imports (and the one a CommonJS
// dependency of it would require). Prints one JSON object.
import { createRequire } from "node:module";
import { readEngineFileSync } from "@trt/format/node";
import { FormatError, TensorRTModule, withRuntime } from "@trt/sdk";
import { probeNative } from "@trt/sdk/native";

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

const caught = async (fn) => {
  try {
    await fn();
    return null;
  } catch (e) {
    return e;
  }
};
const fromLoad = await caught(() => TensorRTModule.load(notAnEngine));
const fromRead = await caught(() => readEngineFileSync(notAnEngine));
const cjsFormatError = createRequire(import.meta.url)("@trt/sdk").FormatError;
const probe = probeNative();

process.stdout.write(
  JSON.stringify({
    native: await runSample("native"),
    ffi: await runSample("ffi"),
    addon: probe.ok ? probe.binding.addonPath : probe.error.message,
    errors: {
      load: [fromLoad?.code, fromLoad instanceof FormatError, fromLoad instanceof cjsFormatError],
      read: [fromRead?.code, fromRead instanceof FormatError, fromRead instanceof cjsFormatError],
    },
  }),
);
