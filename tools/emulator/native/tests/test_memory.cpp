// Device memory: sizes per profile and per shapes, the three allocation
// strategies, IRuntimeConfig, and proof that the context's memory is used.
#include "caller.h"

using namespace t;

namespace {

// mlp3's layout (memory_plan.h): five intermediates of batch rows, each
// 256-aligned, then 4096 bytes of plan scratch.
uint64_t align256(uint64_t v) { return (v + 255) / 256 * 256; }
uint64_t mlp3Intermediates(uint64_t batch) {
  uint64_t off = 0;
  for (uint64_t width : {32, 32, 32, 32, 8}) off = align256(off) + batch * width * 4;
  return align256(off);
}
uint64_t mlp3Memory(uint64_t batch) { return align256(mlp3Intermediates(batch) + 4096); }

template <class V>
void bindMlp3(void* c, int64_t batch, Buffer& x, Buffer& y) {
  const Dims64 d = dims({batch, 16});
  CHECK(call<CTX(setInputShape)>(c, "x", &d));
  std::vector<float> xs(static_cast<size_t>(batch) * 16);
  for (size_t i = 0; i < xs.size(); ++i) xs[i] = static_cast<float>(i % 7) * 0.25f - 0.5f;
  x.write(xs);
  CHECK(call<CTX(setTensorAddress)>(c, "x", x.get()));
  CHECK(call<CTX(setTensorAddress)>(c, "y", y.get()));
}

}  // namespace

TEST(memory, sizes_per_profile_and_per_shapes) {
  Loaded<V> f("mlp3");
  REQUIRE(f.engine);
  CHECK_EQ(call<ENG(getDeviceMemorySizeV2)>(f.engine.get()), static_cast<int64_t>(mlp3Memory(64)));
  CHECK_EQ(call<ENG(getDeviceMemorySizeV2)>(f.engine.get()), int64_t{38912});
  CHECK_EQ(call<ENG(getDeviceMemorySizeForProfileV2)>(f.engine.get(), 0), int64_t{38912});
  CHECK_EQ(call<ENG(getDeviceMemorySizeForProfileV2)>(f.engine.get(), 3), int64_t{0});
  CHECK_LOGGED(f.logger, "profile 3 is outside [0, 1)");
  Owned ctx(f.context());
  REQUIRE(ctx);
  CHECK_EQ(call<CTX(updateDeviceMemorySizeForShapes)>(ctx.get()), uint64_t{0});
  CHECK_LOGGED(f.logger, "shape of input 'x' is not set");
  const Dims64 d = dims({8, 16});
  CHECK(call<CTX(setInputShape)>(ctx.get(), "x", &d));
  CHECK_EQ(call<CTX(updateDeviceMemorySizeForShapes)>(ctx.get()), mlp3Memory(8));
  CHECK_EQ(call<CTX(updateDeviceMemorySizeForShapes)>(ctx.get()), uint64_t{8448});
}

TEST(memory, profiles_differ_in_size) {
  Loaded<V> f("add_dynamic");  // no intermediates: nothing to place
  REQUIRE(f.engine);
  CHECK_EQ(call<ENG(getDeviceMemorySizeForProfileV2)>(f.engine.get(), 0), int64_t{0});
  Loaded<V> n("nonzero");      // NonZero stages its count in scratch: one 256-byte block
  CHECK_EQ(call<ENG(getDeviceMemorySizeV2)>(n.engine.get()), int64_t{256});
}

TEST(memory, user_managed_memory_is_required_and_checked) {
  Loaded<V> f("mlp3");
  Owned ctx(f.context(static_cast<int32_t>(V::ExecutionContextAllocationStrategy::kUSER_MANAGED)));
  REQUIRE(ctx);
  void* c = ctx.get();
  Buffer x(64 * 16 * 4), y(64 * 8 * 4);
  bindMlp3<V>(c, 8, x, y);
  CHECK(!call<CTX(enqueueV3)>(c, stream()));
  CHECK_LOGGED(f.logger, "kUSER_MANAGED device memory and none was set");
  Buffer small(1024);
  call<CTX(setDeviceMemoryV2)>(c, small.get(), int64_t{1024});
  CHECK(!call<CTX(enqueueV3)>(c, stream()));
  CHECK_LOGGED(f.logger, "the device memory set is 1024 bytes, these shapes need 8448");
  call<CTX(setDeviceMemoryV2)>(c, small.get(), int64_t{-5});
  CHECK_LOGGED(f.logger, "size -5 is negative");
  Buffer enough(8448);
  call<CTX(setDeviceMemoryV2)>(c, enough.get(), int64_t{8448});
  f.logger.clear();
  CHECK(call<CTX(enqueueV3)>(c, stream()));
  CHECK_NO_ERRORS(f.logger);
}

TEST(memory, the_context_memory_is_really_used) {
  // Hand over a buffer with a guard zone: the emulator must write inside the
  // size it asked for (intermediates + its scratch pattern) and not past it.
  Loaded<V> f("mlp3");
  Owned ctx(f.context(static_cast<int32_t>(V::ExecutionContextAllocationStrategy::kUSER_MANAGED)));
  REQUIRE(ctx);
  void* c = ctx.get();
  Buffer x(64 * 16 * 4), y(64 * 8 * 4);
  bindMlp3<V>(c, 8, x, y);
  const uint64_t need = call<CTX(updateDeviceMemorySizeForShapes)>(c);
  REQUIRE(need == 8448);
  Buffer memory(need + 4096);
  memory.fill(0x11);
  call<CTX(setDeviceMemory)>(c, memory.get());  // V1: no size given, trusted
  CHECK(call<CTX(enqueueV3)>(c, stream()));
  sync();
  const std::vector<uint8_t> bytes = memory.bytes();
  const uint64_t scratchAt = mlp3Intermediates(8);
  bool intermediatesWritten = false;
  for (uint64_t i = 0; i < scratchAt; ++i) intermediatesWritten = intermediatesWritten || bytes[i] != 0x11;
  CHECK(intermediatesWritten);
  bool scratchPattern = true;
  for (uint64_t i = scratchAt; i < scratchAt + 4096; ++i) scratchPattern = scratchPattern && bytes[i] == 0xA5;
  CHECK(scratchPattern);
  bool guardIntact = true;
  for (uint64_t i = need; i < bytes.size(); ++i) guardIntact = guardIntact && bytes[i] == 0x11;
  CHECK(guardIntact);
  // The first intermediate is fc1's output: row 0, column 0 = x[0,:] . W1[:,0] + b1[0].
  float fc1 = 0;
  std::memcpy(&fc1, bytes.data(), 4);
  const auto yv = y.read<float>(8 * 8);
  CHECK(fc1 != 0.0f);
  CHECK(yv[0] >= 0.0f);  // relu output
}

TEST(memory, strategies_static_and_on_profile_change_allocate_themselves) {
  for (auto strategy : {V::ExecutionContextAllocationStrategy::kSTATIC,
                        V::ExecutionContextAllocationStrategy::kON_PROFILE_CHANGE}) {
    Loaded<V> f("mlp3");
    Owned ctx(f.context(static_cast<int32_t>(strategy)));
    REQUIRE(ctx);
    Buffer x(64 * 16 * 4), y(64 * 8 * 4);
    bindMlp3<V>(ctx.get(), 64, x, y);
    CHECK(call<CTX(enqueueV3)>(ctx.get(), stream()));
    CHECK_NO_ERRORS(f.logger);
    Buffer other(64);
    call<CTX(setDeviceMemory)>(ctx.get(), other.get());
    CHECK_LOGGED(f.logger, "not created with kUSER_MANAGED");
  }
}

TEST(memory, on_profile_change_grows_with_the_profile) {
  Loaded<V> f("add_dynamic");
  Owned ctx(f.context(static_cast<int32_t>(V::ExecutionContextAllocationStrategy::kON_PROFILE_CHANGE)));
  REQUIRE(ctx);
  CHECK(call<CTX(setOptimizationProfileAsync)>(ctx.get(), 1, stream()));
  const Dims64 d = dims({64, 4});
  CHECK(call<CTX(setInputShape)>(ctx.get(), "a", &d));
  CHECK(call<CTX(setInputShape)>(ctx.get(), "b", &d));
  Buffer a(64 * 16), b(64 * 16), s(64 * 16);
  std::vector<float> ones(64 * 4, 1.0f);
  a.write(ones);
  b.write(ones);
  CHECK(call<CTX(setTensorAddress)>(ctx.get(), "a", a.get()));
  CHECK(call<CTX(setTensorAddress)>(ctx.get(), "b", b.get()));
  CHECK(call<CTX(setTensorAddress)>(ctx.get(), "sum", s.get()));
  CHECK(call<CTX(enqueueV3)>(ctx.get(), stream()));
  sync();
  CHECK_EQ(s.read<float>(64 * 4)[255], 2.0f);
}

TEST(memory, runtime_config_carries_the_strategy) {
  Loaded<V> f("mlp3");
  REQUIRE(f.engine);
  Owned config(call<ENG(createRuntimeConfig)>(f.engine.get()));
  REQUIRE(config);
  CHECK_EQ(call<CFG(getExecutionContextAllocationStrategy)>(config.get()),
           static_cast<int32_t>(V::ExecutionContextAllocationStrategy::kSTATIC));
  call<CFG(setExecutionContextAllocationStrategy)>(config.get(), 7);
  CHECK_LOGGED(f.logger, "7 is not kSTATIC");
  const auto user = static_cast<int32_t>(V::ExecutionContextAllocationStrategy::kUSER_MANAGED);
  call<CFG(setExecutionContextAllocationStrategy)>(config.get(), user);
  CHECK_EQ(call<CFG(getExecutionContextAllocationStrategy)>(config.get()), user);
  Owned ctx(call<ENG(createExecutionContextWithRuntimeConfig)>(f.engine.get(), config.get()));
  REQUIRE(ctx);
  void* reported = call<CTX(getRuntimeConfig)>(ctx.get());
  REQUIRE(reported);
  CHECK_EQ(call<CFG(getExecutionContextAllocationStrategy)>(reported), user);
  CHECK_EQ(call<CTX(getRuntimeConfig)>(ctx.get()), reported);  // owned by the context, stable
  Buffer x(64 * 16 * 4), y(64 * 8 * 4);
  bindMlp3<V>(ctx.get(), 2, x, y);
  CHECK(!call<CTX(enqueueV3)>(ctx.get(), stream()));
  CHECK_LOGGED(f.logger, "kUSER_MANAGED");
  // Not a runtime config: refused without touching it.
  int junk[8] = {};
  CHECK(call<ENG(createExecutionContextWithRuntimeConfig)>(f.engine.get(), static_cast<void*>(junk)) == nullptr);
  CHECK_LOGGED(f.logger, "not a live IRuntimeConfig");
  CHECK(call<ENG(createExecutionContext)>(f.engine.get(), 9) == nullptr);
  CHECK_LOGGED(f.logger, "allocation strategy 9");
}
