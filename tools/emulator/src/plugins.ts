/**
 * The plugin creators the emulator's plugin libraries register (see
 * native/plugins): what a plan's plugin layer may name.
 */

/** A creator, as a plugin layer names it. */
export interface PluginCreatorName {
  readonly name: string;
  readonly version: string;
  readonly namespace: string;
}

/**
 * Registered by the stand-in libnvinfer_plugin.so.N's initLibNvInferPlugins
 * (in the namespace it is given; the runtime gives ""): TensorRT's own names
 * for its EfficientNMS plugins.
 */
export const EMULATOR_STANDARD_PLUGINS: readonly PluginCreatorName[] = [
  { name: "EfficientNMS_TRT", version: "1", namespace: "" },
  { name: "EfficientNMS_ONNX_TRT", version: "1", namespace: "" },
];

/** Registered by loading `test-plugins/libemu_test_plugins.so` (emulatorTestPluginLibraryPath("test")). */
export const EMULATOR_TEST_PLUGINS: readonly PluginCreatorName[] = [
  { name: "EmuScale", version: "1", namespace: "emu" },
  { name: "EmuLegacyScale", version: "2", namespace: "emu" },
];
