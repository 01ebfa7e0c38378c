/**
 * @trt/emulator: the TensorRT emulator's TypeScript side. Build plans for
 * the emulator's libnvinfer, make the fixture engines, and find the built
 * library.
 */
export { buildPlan } from "./build-plan.js";
export type {
  BinaryLayer,
  BusyWaitLayer,
  CastLayer,
  ConcatLayer,
  IdentityLayer,
  InputSpec,
  LayerSpec,
  MatMulLayer,
  NonZeroLayer,
  PlanDescription,
  PluginLayer,
  ProfileSpec,
  ReluLayer,
  ShapeRange,
} from "./description.js";
export { resolvePlan, type PlanLayer, type PlanTensor, type ResolvedPlan } from "./resolve.js";
export type { PlanProfile } from "./profiles.js";
export { encodePlan } from "./encode.js";
export { PlanError, type PlanErrorCode } from "./errors.js";
export {
  DTYPES,
  dtypeByteSize,
  dtypeCode,
  dtypeFromCode,
  isArithmeticDType,
  isDTypeName,
  type DTypeName,
} from "./dtype.js";
export {
  FLAG_REQUIRES_HOST_CODE,
  LAYER_KIND,
  PLAN_HEADER_SIZE,
  PLAN_MAGIC,
  PLAN_VERSION,
  PROFILING_VERBOSITY,
  TENSOR_ROLE,
  type LayerOp,
  type ProfilingVerbosityName,
  type TensorRole,
} from "./format.js";
export { crc32 } from "./crc32.js";
export { seededValues } from "./random.js";
export {
  emulatorBuildDir,
  emulatorLibraryPath,
  emulatorPackageRoot,
  emulatorTestPluginLibraryPath,
  fixturesDir,
  type EmulatorVariant,
  type TestPluginLibrary,
} from "./paths.js";
export { EMULATOR_STANDARD_PLUGINS, EMULATOR_TEST_PLUGINS } from "./plugins.js";
export { FIXTURES } from "./fixtures/definitions.js";
export { buildFixtures, type FixtureSet } from "./fixtures/build.js";
export { invalidPlans } from "./fixtures/invalid.js";
