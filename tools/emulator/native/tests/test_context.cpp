// IExecutionContext state: input shapes against the active profile, output
// shapes, inferShapes, strides, profile switches, addresses, allocators.
#include "caller.h"

using namespace t;

TEST(context, shapes_follow_the_inputs) {
  Loaded<V> f("mlp3");
  Owned ctx(f.context());
  REQUIRE(ctx);
  void* c = ctx.get();
  CHECK_EQ(call<CTX(allInputDimensionsSpecified)>(c), false);
  CHECK_DIMS(call<CTX(getTensorShape)>(c, "x"), {-1, 16});
  CHECK_DIMS(call<CTX(getTensorShape)>(c, "y"), {-1, 8});
  const Dims64 d = dims({5, 16});
  CHECK(call<CTX(setInputShape)>(c, "x", &d));
  CHECK_EQ(call<CTX(allInputDimensionsSpecified)>(c), true);
  CHECK_DIMS(call<CTX(getTensorShape)>(c, "x"), {5, 16});
  CHECK_DIMS(call<CTX(getTensorShape)>(c, "y"), {5, 8});
  CHECK_DIMS(call<CTX(getTensorStrides)>(c, "y"), {8, 1});
  CHECK_DIMS(call<CTX(getTensorStrides)>(c, "x"), {16, 1});
  CHECK_NO_ERRORS(f.logger);
}

TEST(context, set_input_shape_is_validated) {
  Loaded<V> f("mlp3");
  Owned ctx(f.context());
  REQUIRE(ctx);
  void* c = ctx.get();
  const Dims64 tooBig = dims({65, 16}), tooSmall = dims({0, 16}), wrongStatic = dims({4, 15}), wrongRank = dims({4}),
               negative = dims({-1, 16}), good = dims({64, 16});
  CHECK(!call<CTX(setInputShape)>(c, "x", &tooBig));
  CHECK_LOGGED(f.logger, "dimension 0 is 65, outside [1, 64] of optimization profile 0");
  CHECK(!call<CTX(setInputShape)>(c, "x", &tooSmall));
  CHECK_LOGGED(f.logger, "dimension 0 is 0, outside [1, 64]");
  CHECK(!call<CTX(setInputShape)>(c, "x", &wrongStatic));
  CHECK_LOGGED(f.logger, "dimension 1 is static (16), got 15");
  CHECK(!call<CTX(setInputShape)>(c, "x", &wrongRank));
  CHECK_LOGGED(f.logger, "has rank 2, got 1");
  CHECK(!call<CTX(setInputShape)>(c, "x", &negative));
  CHECK_LOGGED(f.logger, "negative dimension");
  CHECK(!call<CTX(setInputShape)>(c, "y", &good));
  CHECK_LOGGED(f.logger, "'y' is an output");
  CHECK(!call<CTX(setInputShape)>(c, "nope", &good));
  CHECK_LOGGED(f.logger, "no input or output tensor named 'nope'");
  CHECK_EQ(call<CTX(allInputDimensionsSpecified)>(c), false);  // failures left nothing behind
  CHECK(call<CTX(setInputShape)>(c, "x", &good));
}

TEST(context, infer_shapes_names_the_missing_inputs) {
  Loaded<V> f("add_dynamic");
  Owned ctx(f.context());
  REQUIRE(ctx);
  void* c = ctx.get();
  const char* names[4] = {};
  CHECK_EQ(call<CTX(inferShapes)>(c, 4, static_cast<void*>(names)), 2);
  CHECK_STR(names[0], "a");
  CHECK_STR(names[1], "b");
  const Dims64 d = dims({3, 4});
  CHECK(call<CTX(setInputShape)>(c, "a", &d));
  const char* one[1] = {};
  CHECK_EQ(call<CTX(inferShapes)>(c, 1, static_cast<void*>(one)), 1);
  CHECK_STR(one[0], "b");
  CHECK_DIMS(call<CTX(getTensorShape)>(c, "sum"), {-1, 4});  // still unknown
  CHECK(call<CTX(setInputShape)>(c, "b", &d));
  CHECK_EQ(call<CTX(inferShapes)>(c, 0, nullptr), 0);
  CHECK_DIMS(call<CTX(getTensorShape)>(c, "sum"), {3, 4});
}

TEST(context, inconsistent_shapes_fail_inference) {
  Loaded<V> f("add_dynamic");
  Owned ctx(f.context());
  REQUIRE(ctx);
  const Dims64 a = dims({3, 4}), b = dims({5, 4});
  CHECK(call<CTX(setInputShape)>(ctx.get(), "a", &a));
  CHECK(call<CTX(setInputShape)>(ctx.get(), "b", &b));
  CHECK_EQ(call<CTX(inferShapes)>(ctx.get(), 0, nullptr), -1);
  CHECK_LOGGED(f.logger, "differ in dimension 0");
  CHECK_EQ(call<CTX(getTensorShape)>(ctx.get(), "sum").nbDims, -1);
  CHECK(!call<CTX(enqueueV3)>(ctx.get(), stream()));
}

TEST(context, optimization_profiles) {
  Loaded<V> f("add_dynamic");
  Owned ctx(f.context());
  REQUIRE(ctx);
  void* c = ctx.get();
  CHECK_EQ(call<CTX(getOptimizationProfile)>(c), 0);
  const Dims64 small = dims({4, 4}), large = dims({32, 4});
  CHECK(call<CTX(setInputShape)>(c, "a", &small));
  CHECK(!call<CTX(setInputShape)>(c, "b", &large));
  CHECK(call<CTX(setOptimizationProfileAsync)>(c, 1, stream()));
  CHECK_EQ(call<CTX(getOptimizationProfile)>(c), 1);
  // Switching profiles drops the shapes set under the old one.
  CHECK_EQ(call<CTX(allInputDimensionsSpecified)>(c), false);
  CHECK(!call<CTX(setInputShape)>(c, "a", &small));
  CHECK_LOGGED(f.logger, "outside [16, 64] of optimization profile 1");
  CHECK(call<CTX(setInputShape)>(c, "a", &large));
  CHECK(call<CTX(setInputShape)>(c, "b", &large));
  CHECK_DIMS(call<CTX(getTensorShape)>(c, "sum"), {32, 4});
  CHECK(!call<CTX(setOptimizationProfileAsync)>(c, 2, stream()));
  CHECK_LOGGED(f.logger, "profile 2 is outside [0, 2)");
  CHECK(!call<CTX(setOptimizationProfileAsync)>(c, -1, stream()));
  CHECK_EQ(call<CTX(getOptimizationProfile)>(c), 1);
}

TEST(context, addresses_and_allocators) {
  Loaded<V> f("nonzero");
  Owned ctx(f.context());
  REQUIRE(ctx);
  void* c = ctx.get();
  Buffer x(64);
  CHECK(call<CTX(getTensorAddress)>(c, "x") == nullptr);
  CHECK(call<CTX(setTensorAddress)>(c, "x", x.get()));
  CHECK_EQ(call<CTX(getTensorAddress)>(c, "x"), x.get());
  CHECK(!call<CTX(setTensorAddress)>(c, "x", static_cast<void*>(static_cast<char*>(x.get()) + 2)));
  CHECK_LOGGED(f.logger, "not aligned to its element size (4 bytes)");
  CHECK_EQ(call<CTX(getTensorAddress)>(c, "x"), x.get());
  CHECK(!call<CTX(setTensorAddress)>(c, "nope", x.get()));
  RecordingAllocator<V> alloc;
  CHECK(call<CTX(getOutputAllocator)>(c, "indices") == nullptr);
  CHECK(call<CTX(setOutputAllocator)>(c, "indices", static_cast<void*>(&alloc)));
  CHECK_EQ(call<CTX(getOutputAllocator)>(c, "indices"), static_cast<void*>(&alloc));
  CHECK(!call<CTX(setOutputAllocator)>(c, "x", static_cast<void*>(&alloc)));
  CHECK_LOGGED(f.logger, "allocators serve outputs");
}

TEST(context, max_output_size) {
  Loaded<V> f("nonzero");
  Owned ctx(f.context());
  REQUIRE(ctx);
  void* c = ctx.get();
  CHECK_EQ(call<CTX(getMaxOutputSize)>(c, "indices"), int64_t{-1});  // input shape unknown
  const Dims64 d = dims({3, 5});
  CHECK(call<CTX(setInputShape)>(c, "x", &d));
  CHECK_EQ(call<CTX(getMaxOutputSize)>(c, "indices"), int64_t{3 * 5 * 2 * 8});
  CHECK_EQ(call<CTX(getMaxOutputSize)>(c, "copy"), int64_t{3 * 5 * 4});
  CHECK_DIMS(call<CTX(getTensorShape)>(c, "indices"), {2, -1});
  CHECK_EQ(call<CTX(getMaxOutputSize)>(c, "x"), int64_t{-1});
  CHECK_LOGGED(f.logger, "'x' is not an output");
}

TEST(context, name_engine_and_profiler_accessors) {
  Loaded<V> f("identity_f32");
  Owned ctx(f.context());
  REQUIRE(ctx);
  void* c = ctx.get();
  CHECK_STR(call<CTX(getName)>(c), "");
  call<CTX(setName)>(c, "ctx-1");
  CHECK_STR(call<CTX(getName)>(c), "ctx-1");
  CHECK_EQ(call<CTX(getEngine)>(c), f.engine.get());
  CHECK(call<CTX(getProfiler)>(c) == nullptr);
  RecordingProfiler<V> profiler;
  call<CTX(setProfiler)>(c, static_cast<void*>(&profiler));
  CHECK_EQ(call<CTX(getProfiler)>(c), static_cast<void*>(&profiler));
  CHECK_EQ(call<CTX(getEnqueueEmitsProfile)>(c), true);
  call<CTX(setEnqueueEmitsProfile)>(c, false);
  CHECK_EQ(call<CTX(getEnqueueEmitsProfile)>(c), false);
  // Static inputs count as specified from the start.
  CHECK_EQ(call<CTX(allInputDimensionsSpecified)>(c), true);
  CHECK_DIMS(call<CTX(getTensorShape)>(c, "y"), {2, 3});
}
