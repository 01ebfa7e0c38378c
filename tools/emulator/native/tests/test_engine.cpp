// ICudaEngine: I/O description, profiles, names, formats, serialize,
// aliasing, weight streaming.
#include "caller.h"

using namespace t;

TEST(engine, io_tensors_of_mlp3) {
  Loaded<V> f("mlp3");
  REQUIRE(f.engine);
  void* e = f.engine.get();
  CHECK_EQ(call<ENG(getNbIOTensors)>(e), 2);
  CHECK_STR(call<ENG(getIOTensorName)>(e, 0), "x");
  CHECK_STR(call<ENG(getIOTensorName)>(e, 1), "y");
  CHECK_EQ(call<ENG(getTensorIOMode)>(e, "x"), static_cast<int32_t>(V::TensorIOMode::kINPUT));
  CHECK_EQ(call<ENG(getTensorIOMode)>(e, "y"), static_cast<int32_t>(V::TensorIOMode::kOUTPUT));
  CHECK_EQ(call<ENG(getTensorDataType)>(e, "x"), static_cast<int32_t>(V::DataType::kFLOAT));
  CHECK_DIMS(call<ENG(getTensorShape)>(e, "x"), {-1, 16});
  CHECK_DIMS(call<ENG(getTensorShape)>(e, "y"), {-1, 8});
  CHECK_EQ(call<ENG(getNbLayers)>(e), 6);
  CHECK_STR(call<ENG(getName)>(e), "mlp3");
  CHECK_EQ(call<ENG(getNbOptimizationProfiles)>(e), 1);
  CHECK_EQ(call<ENG(getProfilingVerbosity)>(e), static_cast<int32_t>(V::ProfilingVerbosity::kDETAILED));
  CHECK_EQ(call<ENG(getTensorBytesPerComponent)>(e, "x"), 4);
  CHECK_EQ(call<ENG(getTensorComponentsPerElement)>(e, "x"), 1);
  CHECK_EQ(call<ENG(getTensorFormat)>(e, "y"), static_cast<int32_t>(V::TensorFormat::kLINEAR));
  CHECK_STR(call<ENG(getTensorFormatDesc)>(e, "y"), "Row major linear FP32 format (kLINEAR)");
  CHECK_EQ(call<ENG(getTensorLocation)>(e, "x"), static_cast<int32_t>(V::TensorLocation::kDEVICE));
  CHECK_EQ(call<ENG(isShapeInferenceIO)>(e, "x"), false);
  CHECK_EQ(call<ENG(getHardwareCompatibilityLevel)>(e), static_cast<int32_t>(V::HardwareCompatibilityLevel::kNONE));
  CHECK_NO_ERRORS(f.logger);
}

TEST(engine, intermediate_tensors_are_not_io) {
  Loaded<V> f("mlp3");
  REQUIRE(f.engine);
  // Asking whether a name is I/O is not an error; asking for its shape is.
  CHECK_EQ(call<ENG(getTensorIOMode)>(f.engine.get(), "act1"), static_cast<int32_t>(V::TensorIOMode::kNONE));
  CHECK_EQ(f.logger.errors(), 0);
  CHECK_EQ(call<ENG(getTensorShape)>(f.engine.get(), "act1").nbDims, -1);
  CHECK_LOGGED(f.logger, "no input or output tensor named 'act1'");
}

TEST(engine, bad_names_and_indices_fail_with_errors) {
  Loaded<V> f("mlp3");
  REQUIRE(f.engine);
  void* e = f.engine.get();
  CHECK(call<ENG(getIOTensorName)>(e, 2) == nullptr);
  CHECK_LOGGED(f.logger, "index 2 is outside [0, 2)");
  CHECK(call<ENG(getIOTensorName)>(e, -1) == nullptr);
  CHECK_EQ(call<ENG(getTensorBytesPerComponent)>(e, "nope"), -1);
  CHECK(call<ENG(getTensorFormatDesc)>(e, "nope") == nullptr);
  CHECK_EQ(call<ENG(getTensorShape)>(e, nullptr).nbDims, -1);
  CHECK_LOGGED(f.logger, "(null)");
}

TEST(engine, profile_shapes) {
  Loaded<V> f("add_dynamic");
  REQUIRE(f.engine);
  void* e = f.engine.get();
  CHECK_EQ(call<ENG(getNbOptimizationProfiles)>(e), 2);
  const auto kMin = static_cast<int32_t>(V::OptProfileSelector::kMIN);
  const auto kOpt = static_cast<int32_t>(V::OptProfileSelector::kOPT);
  const auto kMax = static_cast<int32_t>(V::OptProfileSelector::kMAX);
  CHECK_DIMS(call<ENG(getProfileShape)>(e, "a", 0, kMin), {1, 4});
  CHECK_DIMS(call<ENG(getProfileShape)>(e, "a", 0, kOpt), {4, 4});
  CHECK_DIMS(call<ENG(getProfileShape)>(e, "a", 0, kMax), {8, 4});
  CHECK_DIMS(call<ENG(getProfileShape)>(e, "b", 1, kMin), {16, 4});
  CHECK_DIMS(call<ENG(getProfileShape)>(e, "b", 1, kMax), {64, 4});
  CHECK_NO_ERRORS(f.logger);
  CHECK_EQ(call<ENG(getProfileShape)>(e, "a", 2, kMin).nbDims, -1);
  CHECK_LOGGED(f.logger, "profile 2 is outside [0, 2)");
  CHECK_EQ(call<ENG(getProfileShape)>(e, "sum", 0, kMin).nbDims, -1);
  CHECK_LOGGED(f.logger, "'sum' is an output");
  CHECK_EQ(call<ENG(getProfileShape)>(e, "a", 0, 7).nbDims, -1);
  CHECK_LOGGED(f.logger, "selector 7");
}

TEST(engine, every_dtype_reports_its_type_and_size) {
  Loaded<V> f("every_dtype");
  REQUIRE(f.engine);
  const std::pair<const char*, std::pair<typename V::DataType, int>> types[] = {
      {"float32", {V::DataType::kFLOAT, 4}}, {"float16", {V::DataType::kHALF, 2}}, {"bfloat16", {V::DataType::kBF16, 2}},
      {"int8", {V::DataType::kINT8, 1}},     {"uint8", {V::DataType::kUINT8, 1}},  {"int32", {V::DataType::kINT32, 4}},
      {"int64", {V::DataType::kINT64, 8}},   {"bool", {V::DataType::kBOOL, 1}},
  };
  CHECK_EQ(call<ENG(getNbIOTensors)>(f.engine.get()), 16);
  for (const auto& t : types) {
    const std::string in = std::string("in_") + t.first, out = std::string("out_") + t.first;
    CHECK_EQ(call<ENG(getTensorDataType)>(f.engine.get(), in.c_str()), static_cast<int32_t>(t.second.first));
    CHECK_EQ(call<ENG(getTensorDataType)>(f.engine.get(), out.c_str()), static_cast<int32_t>(t.second.first));
    CHECK_EQ(call<ENG(getTensorBytesPerComponent)>(f.engine.get(), out.c_str()), t.second.second);
  }
  CHECK_STR(call<ENG(getTensorFormatDesc)>(f.engine.get(), "out_bfloat16"), "Row major linear BF16 format (kLINEAR)");
}

TEST(engine, data_dependent_output_reports_minus_one) {
  Loaded<V> f("nonzero");
  REQUIRE(f.engine);
  CHECK_DIMS(call<ENG(getTensorShape)>(f.engine.get(), "indices"), {2, -1});
  CHECK_EQ(call<ENG(getTensorDataType)>(f.engine.get(), "indices"), static_cast<int32_t>(V::DataType::kINT64));
}

TEST(engine, serialize_returns_the_plan) {
  Loaded<V> f("mlp3");
  REQUIRE(f.engine);
  Owned mem(call<ENG(serialize)>(f.engine.get()));
  REQUIRE(mem);
  const auto plan = readFixture("mlp3.plan");
  CHECK_EQ(call<MEM(size)>(mem.get()), static_cast<uint64_t>(plan.size()));
  CHECK_EQ(call<MEM(type)>(mem.get()), static_cast<int32_t>(V::DataType::kUINT8));
  const auto* data = static_cast<const uint8_t*>(call<MEM(data)>(mem.get()));
  REQUIRE(data);
  CHECK(std::equal(plan.begin(), plan.end(), data));
  // And the bytes load again.
  std::vector<uint8_t> copy(data, data + plan.size());
  Owned again(deserialize<V>(f.runtime.get(), copy));
  CHECK(again);
}

TEST(engine, aliased_input_tensor) {
  Loaded<V> f("aliased");
  REQUIRE(f.engine);
  CHECK_STR(call<ENG(getAliasedInputTensor)>(f.engine.get(), "cache_out"), "cache");
  CHECK(call<ENG(getAliasedInputTensor)>(f.engine.get(), "cache") == nullptr);
  CHECK_NO_ERRORS(f.logger);
  Loaded<V> g("mlp3");
  CHECK(call<ENG(getAliasedInputTensor)>(g.engine.get(), "y") == nullptr);
}

TEST(engine, weight_streaming_budget) {
  Loaded<V> f("weight_streaming");
  REQUIRE(f.engine);
  void* e = f.engine.get();
  CHECK_EQ(call<ENG(getStreamableWeightsSize)>(e), int64_t{1 << 20});
  CHECK_EQ(call<ENG(getWeightStreamingBudgetV2)>(e), int64_t{1 << 20});  // default: everything resident
  CHECK_EQ(call<ENG(getWeightStreamingAutomaticBudget)>(e), int64_t{1 << 19});
  CHECK_EQ(call<ENG(getWeightStreamingScratchMemorySize)>(e), int64_t{0});
  CHECK_EQ(call<ENG(getDeviceMemorySizeV2)>(e), int64_t{0});
  CHECK(call<ENG(setWeightStreamingBudgetV2)>(e, int64_t{1 << 19}));
  CHECK_EQ(call<ENG(getWeightStreamingBudgetV2)>(e), int64_t{1 << 19});
  // A quarter of the 512 KiB that stream, as scratch; it counts as device memory.
  CHECK_EQ(call<ENG(getWeightStreamingScratchMemorySize)>(e), int64_t{131072});
  CHECK_EQ(call<ENG(getDeviceMemorySizeV2)>(e), int64_t{131072});
  CHECK_NO_ERRORS(f.logger);
  // V2 takes no special negative values (V1's -1 "automatic" and -2 "disabled" are gone).
  CHECK(!call<ENG(setWeightStreamingBudgetV2)>(e, int64_t{-1}));
  CHECK_LOGGED(f.logger, "is negative");
  CHECK(!call<ENG(setWeightStreamingBudgetV2)>(e, int64_t{-2}));
  CHECK_EQ(call<ENG(getWeightStreamingBudgetV2)>(e), int64_t{1 << 19});  // a refused call changes nothing
  Owned ctx(f.context());
  REQUIRE(ctx);
  f.logger.clear();
  CHECK(!call<ENG(setWeightStreamingBudgetV2)>(e, int64_t{0}));
  CHECK_LOGGED(f.logger, "while execution contexts exist");
  CHECK_EQ(call<ENG(getWeightStreamingBudgetV2)>(e), int64_t{1 << 19});
  ctx.reset();
  CHECK(call<ENG(setWeightStreamingBudgetV2)>(e, int64_t{0}));
  CHECK_EQ(call<ENG(getWeightStreamingBudgetV2)>(e), int64_t{0});
  CHECK_EQ(call<ENG(getWeightStreamingScratchMemorySize)>(e), int64_t{262144});  // everything streams
}

TEST(engine, weight_streaming_budget_above_the_streamable_size_turns_streaming_off) {
  // TensorRT: a budget >= getStreamableWeightsSize() disables streaming, and
  // the budget then reads back as the streamable size.
  Loaded<V> f("weight_streaming");
  REQUIRE(f.engine);
  void* e = f.engine.get();
  CHECK(call<ENG(setWeightStreamingBudgetV2)>(e, int64_t{1000}));
  CHECK(call<ENG(getWeightStreamingScratchMemorySize)>(e) > 0);
  CHECK(call<ENG(setWeightStreamingBudgetV2)>(e, int64_t{(1 << 20) + 1}));
  CHECK_EQ(call<ENG(getWeightStreamingBudgetV2)>(e), int64_t{1 << 20});
  CHECK_EQ(call<ENG(getWeightStreamingScratchMemorySize)>(e), int64_t{0});
  CHECK(call<ENG(setWeightStreamingBudgetV2)>(e, int64_t{1} << 50));
  CHECK_EQ(call<ENG(getWeightStreamingBudgetV2)>(e), int64_t{1 << 20});
  CHECK_NO_ERRORS(f.logger);
}

TEST(engine, weight_streaming_of_matmul_weights) {
  // mlp3_streaming: mlp3 built with weight streaming; its matmul weights and
  // biases (1864 floats) are what streams.
  Loaded<V> f("mlp3_streaming");
  REQUIRE(f.engine);
  void* e = f.engine.get();
  const int64_t streamable = 1864 * 4;
  CHECK_EQ(call<ENG(getStreamableWeightsSize)>(e), streamable);
  CHECK_EQ(call<ENG(getWeightStreamingBudgetV2)>(e), streamable);
  CHECK_EQ(call<ENG(getWeightStreamingAutomaticBudget)>(e), int64_t{3584});  // half, 256-aligned down
  CHECK_EQ(call<ENG(getWeightStreamingScratchMemorySize)>(e), int64_t{0});
  const int64_t resident = call<ENG(getDeviceMemorySizeV2)>(e);
  const int64_t automatic = call<ENG(getWeightStreamingAutomaticBudget)>(e);
  CHECK(call<ENG(setWeightStreamingBudgetV2)>(e, automatic));
  // A quarter of the 3872 bytes that stream, 256-aligned up, added to the device memory.
  CHECK_EQ(call<ENG(getWeightStreamingScratchMemorySize)>(e), int64_t{1024});
  CHECK_EQ(call<ENG(getDeviceMemorySizeV2)>(e), resident + 1024);
  CHECK_EQ(call<ENG(getDeviceMemorySizeForProfileV2)>(e, 0), resident + 1024);
  // The smaller the budget, the more scratch.
  int64_t previous = 0;
  for (int64_t budget : {streamable, int64_t{5000}, int64_t{2000}, int64_t{0}}) {
    CHECK(call<ENG(setWeightStreamingBudgetV2)>(e, budget));
    const int64_t scratch = call<ENG(getWeightStreamingScratchMemorySize)>(e);
    CHECK(scratch >= previous);
    CHECK_EQ(scratch % 256, int64_t{0});
    previous = scratch;
  }
  CHECK_EQ(previous, int64_t{2048});
  CHECK_NO_ERRORS(f.logger);
}

TEST(engine, weight_streaming_budget_is_per_engine) {
  // Two engines from the same plan keep budgets of their own.
  Loaded<V> a("mlp3_streaming");
  Loaded<V> b("mlp3_streaming");
  REQUIRE(a.engine);
  REQUIRE(b.engine);
  CHECK(call<ENG(setWeightStreamingBudgetV2)>(a.engine.get(), int64_t{0}));
  CHECK_EQ(call<ENG(getWeightStreamingBudgetV2)>(a.engine.get()), int64_t{0});
  CHECK_EQ(call<ENG(getWeightStreamingBudgetV2)>(b.engine.get()), int64_t{1864 * 4});
  // A context of engine b does not block engine a.
  Owned ctx(b.context());
  REQUIRE(ctx);
  CHECK(call<ENG(setWeightStreamingBudgetV2)>(a.engine.get(), int64_t{100}));
  CHECK(!call<ENG(setWeightStreamingBudgetV2)>(b.engine.get(), int64_t{100}));
  CHECK_LOGGED(b.logger, "while execution contexts exist");
  CHECK_NO_ERRORS(a.logger);
}

TEST(engine, weight_streaming_needs_streamable_weights) {
  Loaded<V> f("mlp3");
  REQUIRE(f.engine);
  CHECK_EQ(call<ENG(getStreamableWeightsSize)>(f.engine.get()), int64_t{0});
  CHECK(!call<ENG(setWeightStreamingBudgetV2)>(f.engine.get(), int64_t{0}));
  CHECK_LOGGED(f.logger, "not built with weight streaming");
}

TEST(engine, objects_can_be_released_in_any_order) {
  // TensorRT asks callers to release contexts before engines; the emulator
  // survives the other order too (the engine core is shared).
  CaptureLogger<V> logger;
  void* runtime = createRuntime<V>(logger);
  REQUIRE(runtime);
  void* engine = deserialize<V>(runtime, readFixture("identity_f32.plan"));
  REQUIRE(engine);
  void* ctx = call<ENG(createExecutionContext)>(engine, 0);
  void* inspector = call<ENG(createEngineInspector)>(engine);
  REQUIRE(ctx);
  destroy(engine);
  destroy(runtime);
  CHECK_DIMS(call<CTX(getTensorShape)>(ctx, "y"), {2, 3});
  CHECK(call<INS(getEngineInformation)>(inspector, 1) != nullptr);
  destroy(inspector);
  destroy(ctx);
}

TEST(engine, wrapper_destructors_end_the_object) {
  // Slot 0 of a wrapper is the complete destructor: the object is gone (a
  // later use of it is refused), though its storage stays with the caller.
  Loaded<V> f("identity_f32");
  REQUIRE(f.engine);
  void* config = call<ENG(createRuntimeConfig)>(f.engine.get());
  REQUIRE(config);
  Owned ok(call<ENG(createExecutionContextWithRuntimeConfig)>(f.engine.get(), config));
  CHECK(ok);
  void* const* vtable = *static_cast<void* const* const*>(config);
  reinterpret_cast<void (*)(void*)>(vtable[0])(config);
  CHECK(call<ENG(createExecutionContextWithRuntimeConfig)>(f.engine.get(), config) == nullptr);
  CHECK_LOGGED(f.logger, "not a live IRuntimeConfig");
}
