// enqueueV3 end to end: results of every layer kind against references
// computed here, the output allocator for data-dependent and static outputs,
// aliasing, and the errors enqueue reports.
#include <cmath>

#include "caller.h"

using namespace t;

namespace {

// The fixtures' weights: seededValues() of src/random.ts, reimplemented.
std::vector<float> seeded(uint32_t seed, size_t n) {
  std::vector<float> out(n);
  uint32_t s = seed;
  for (size_t i = 0; i < n; ++i) {
    s = s * 1664525u + 1013904223u;
    out[i] = static_cast<float>(-0.5 + (s / 4294967296.0) * 1.0);
  }
  return out;
}

bool close(float got, double want) { return std::fabs(got - want) <= 1e-5 * std::fabs(want) + 1e-6; }

}  // namespace

TEST(execution, identity_static) {
  Loaded<V> f("identity_f32");
  Owned ctx(f.context());
  REQUIRE(ctx);
  Buffer x(24), y(24);
  x.write(std::vector<float>{1, -2, 3.5f, 4, 5, -6});
  CHECK(call<CTX(setTensorAddress)>(ctx.get(), "x", x.get()));
  CHECK(call<CTX(setTensorAddress)>(ctx.get(), "y", y.get()));
  CHECK(call<CTX(enqueueV3)>(ctx.get(), stream()));
  sync();
  CHECK((y.read<float>(6) == std::vector<float>{1, -2, 3.5f, 4, 5, -6}));
  CHECK_NO_ERRORS(f.logger);
}

TEST(execution, add_in_both_profiles) {
  Loaded<V> f("add_dynamic");
  Owned ctx(f.context());
  REQUIRE(ctx);
  void* c = ctx.get();
  for (int profile : {0, 1}) {
    const int64_t batch = profile == 0 ? 3 : 20;
    CHECK(call<CTX(setOptimizationProfileAsync)>(c, profile, stream()));
    const Dims64 d = dims({batch, 4});
    CHECK(call<CTX(setInputShape)>(c, "a", &d));
    CHECK(call<CTX(setInputShape)>(c, "b", &d));
    const size_t n = static_cast<size_t>(batch) * 4;
    std::vector<float> av(n), bv(n);
    for (size_t i = 0; i < n; ++i) {
      av[i] = 0.5f * static_cast<float>(i);
      bv[i] = 100.0f - static_cast<float>(i);
    }
    Buffer a(n * 4), b(n * 4), s(n * 4);
    a.write(av);
    b.write(bv);
    CHECK(call<CTX(setTensorAddress)>(c, "a", a.get()));
    CHECK(call<CTX(setTensorAddress)>(c, "b", b.get()));
    CHECK(call<CTX(setTensorAddress)>(c, "sum", s.get()));
    CHECK(call<CTX(enqueueV3)>(c, stream()));
    sync();
    const auto sv = s.read<float>(n);
    for (size_t i = 0; i < n; ++i) CHECK_EQ(sv[i], av[i] + bv[i]);
  }
  CHECK_NO_ERRORS(f.logger);
}

TEST(execution, every_dtype_round_trips_bit_exactly) {
  Loaded<V> f("every_dtype");
  Owned ctx(f.context());
  REQUIRE(ctx);
  void* c = ctx.get();
  const std::pair<const char*, size_t> types[] = {{"float32", 4}, {"float16", 2}, {"bfloat16", 2}, {"int8", 1},
                                                  {"uint8", 1},   {"int32", 4},   {"int64", 8},    {"bool", 1}};
  const Dims64 d = dims({2, 3});
  std::vector<std::unique_ptr<Buffer>> keep;
  std::vector<std::pair<Buffer*, std::vector<uint8_t>>> expect;
  for (const auto& t : types) {
    const std::string in = std::string("in_") + t.first, out = std::string("out_") + t.first;
    CHECK(call<CTX(setInputShape)>(c, in.c_str(), &d));
    std::vector<uint8_t> bytes(6 * t.second);
    for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<uint8_t>(t.second == 1 && !std::strcmp(t.first, "bool") ? i % 2 : i * 37 + 5);
    keep.push_back(std::make_unique<Buffer>(bytes.size()));
    keep.back()->write(bytes);
    CHECK(call<CTX(setTensorAddress)>(c, in.c_str(), keep.back()->get()));
    keep.push_back(std::make_unique<Buffer>(bytes.size()));
    CHECK(call<CTX(setTensorAddress)>(c, out.c_str(), keep.back()->get()));
    expect.emplace_back(keep.back().get(), bytes);
  }
  CHECK(call<CTX(enqueueV3)>(c, stream()));
  sync();
  for (auto& e : expect) CHECK(e.first->bytes() == e.second);
}

// Runs mlp3 (or mlp3_streaming) at batch 7 on a new context of `f` and
// checks y against a double-precision reference.
template <class V>
void checkMlp3(Loaded<V>& f) {
  Owned ctx(f.context());
  REQUIRE(ctx);
  const int64_t batch = 7;
  const Dims64 d = dims({batch, 16});
  CHECK(call<CTX(setInputShape)>(ctx.get(), "x", &d));
  std::vector<float> xs(batch * 16);
  for (size_t i = 0; i < xs.size(); ++i) xs[i] = std::sin(0.37f * static_cast<float>(i)) * 2.0f;
  Buffer x(xs.size() * 4), y(batch * 8 * 4);
  x.write(xs);
  CHECK(call<CTX(setTensorAddress)>(ctx.get(), "x", x.get()));
  CHECK(call<CTX(setTensorAddress)>(ctx.get(), "y", y.get()));
  CHECK(call<CTX(enqueueV3)>(ctx.get(), stream()));
  sync();
  const auto ys = y.read<float>(batch * 8);

  // Reference in double: three dense + bias + relu layers, 16 -> 32 -> 32 -> 8.
  // `mag` runs the same layers on |x|, |W|, |b|: the scale of float32 gemm's
  // error bound, for cuBLAS (CUDA mode's default matmul), which sums in its
  // own order; the host and CUDA kernels keep the plain tolerance.
  const int sizes[] = {16, 32, 32, 8};
  std::vector<double> act(xs.begin(), xs.end()), mag(xs.size());
  for (size_t i = 0; i < xs.size(); ++i) mag[i] = std::fabs(static_cast<double>(xs[i]));
  double terms = 0;
  for (int l = 0; l < 3; ++l) {
    const int k = sizes[l], n = sizes[l + 1];
    const auto w = seeded(1000 + 2 * l, static_cast<size_t>(k) * n);
    const auto b = seeded(1001 + 2 * l, n);
    std::vector<double> next(static_cast<size_t>(batch) * n), nextMag(next.size());
    for (int64_t r = 0; r < batch; ++r)
      for (int j = 0; j < n; ++j) {
        double acc = 0, m = std::fabs(static_cast<double>(b[j]));
        for (int i = 0; i < k; ++i) {
          acc += act[r * k + i] * w[static_cast<size_t>(i) * n + j];
          m += mag[r * k + i] * std::fabs(static_cast<double>(w[static_cast<size_t>(i) * n + j]));
        }
        next[r * n + j] = std::max(0.0, acc + b[j]);
        nextMag[r * n + j] = m;
      }
    act = next;
    mag = nextMag;
    terms += k + 1;
  }
  const bool cublas = matmulBackend() == "cublas";
  int mismatches = 0, nonzero = 0;
  for (size_t i = 0; i < ys.size(); ++i) {
    // cuBLAS: within Σ(k + 1)·2^-24·mag of the exact value (+10%), whatever its summation order.
    const bool ok = close(ys[i], act[i]) ||
                    (cublas && std::fabs(ys[i] - act[i]) <= 1.1 * terms * std::ldexp(1.0, -24) * mag[i]);
    mismatches += ok ? 0 : 1;
    nonzero += ys[i] != 0.0f ? 1 : 0;
  }
  CHECK_EQ(mismatches, 0);
  CHECK(nonzero > 0);  // a reference of all zeros would prove nothing
  CHECK_NO_ERRORS(f.logger);
}

TEST(execution, mlp3_matches_a_reference) {
  Loaded<V> f("mlp3");
  checkMlp3(f);
}

TEST(execution, weight_streaming_changes_memory_not_results) {
  Loaded<V> f("mlp3_streaming");
  REQUIRE(f.engine);
  checkMlp3(f);  // default budget: nothing streams
  for (int64_t budget : {int64_t{0}, int64_t{3584}, int64_t{1864 * 4}}) {
    CHECK(call<ENG(setWeightStreamingBudgetV2)>(f.engine.get(), budget));
    checkMlp3(f);
  }
}

TEST(execution, cast_rounds_and_saturates) {
  Loaded<V> f("cast");
  Owned ctx(f.context());
  REQUIRE(ctx);
  void* c = ctx.get();
  const float nan = std::nanf("");
  const std::vector<float> xs = {1.0f, 0.5f, -2.0f, 65504.0f, 65520.0f, 1e-8f, 5.9604644775390625e-8f, 0.1f,
                                 300.7f, -300.0f, 2.9f, -2.9f, nan, -0.0f, 3e9f, 1e20f};
  const Dims64 d = dims({4, 4});
  CHECK(call<CTX(setInputShape)>(c, "x", &d));
  Buffer x(64);
  x.write(xs);
  CHECK(call<CTX(setTensorAddress)>(c, "x", x.get()));
  const std::pair<const char*, size_t> outs[] = {{"as_float16", 2}, {"as_bfloat16", 2}, {"as_int8", 1},
                                                 {"as_uint8", 1},   {"as_int32", 4},    {"as_int64", 8},
                                                 {"as_bool", 1},    {"f16_roundtrip", 4}};
  std::map<std::string, std::unique_ptr<Buffer>> buf;
  for (const auto& o : outs) {
    buf[o.first] = std::make_unique<Buffer>(16 * o.second);
    CHECK(call<CTX(setTensorAddress)>(c, o.first, buf[o.first]->get()));
  }
  CHECK(call<CTX(enqueueV3)>(c, stream()));
  sync();
  CHECK((buf["as_float16"]->read<uint16_t>(16) ==
         std::vector<uint16_t>{0x3C00, 0x3800, 0xC000, 0x7BFF, 0x7C00, 0x0000, 0x0001, 0x2E66, 0x5CB3, 0xDCB0, 0x41CD,
                               0xC1CD, 0x7E00, 0x8000, 0x7C00, 0x7C00}));
  CHECK((buf["as_bfloat16"]->read<uint16_t>(16) ==
         std::vector<uint16_t>{0x3F80, 0x3F00, 0xC000, 0x4780, 0x4780, 0x322C, 0x3380, 0x3DCD, 0x4396, 0xC396, 0x403A,
                               0xC03A, 0x7FC0, 0x8000, 0x4F33, 0x60AD}));
  CHECK((buf["as_int8"]->read<int8_t>(16) ==
         std::vector<int8_t>{1, 0, -2, 127, 127, 0, 0, 0, 127, -128, 2, -2, 0, 0, 127, 127}));
  CHECK((buf["as_uint8"]->read<uint8_t>(16) ==
         std::vector<uint8_t>{1, 0, 0, 255, 255, 0, 0, 0, 255, 0, 2, 0, 0, 0, 255, 255}));
  CHECK((buf["as_int32"]->read<int32_t>(16) ==
         std::vector<int32_t>{1, 0, -2, 65504, 65520, 0, 0, 0, 300, -300, 2, -2, 0, 0, 2147483647, 2147483647}));
  CHECK((buf["as_int64"]->read<int64_t>(16) ==
         std::vector<int64_t>{1, 0, -2, 65504, 65520, 0, 0, 0, 300, -300, 2, -2, 0, 0, 3000000000LL,
                              9223372036854775807LL}));
  CHECK((buf["as_bool"]->read<uint8_t>(16) ==
         std::vector<uint8_t>{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1}));
  const auto rt = buf["f16_roundtrip"]->read<float>(16);
  CHECK_EQ(rt[7], 0.0999755859375f);
  CHECK_EQ(rt[3], 65504.0f);
  CHECK(std::isinf(rt[4]));
  CHECK(std::isnan(rt[12]));
  CHECK_NO_ERRORS(f.logger);
}

TEST(execution, concat_along_axis_1) {
  Loaded<V> f("concat");
  Owned ctx(f.context());
  REQUIRE(ctx);
  void* c = ctx.get();
  const int64_t rows = 3;
  const Dims64 da = dims({rows, 2}), db = dims({rows, 3}), dc = dims({rows, 1});
  CHECK(call<CTX(setInputShape)>(c, "a", &da));
  CHECK(call<CTX(setInputShape)>(c, "b", &db));
  CHECK(call<CTX(setInputShape)>(c, "c", &dc));
  CHECK_DIMS(call<CTX(getTensorShape)>(c, "y"), {3, 6});
  Buffer a(rows * 2 * 4), b(rows * 3 * 4), cc(rows * 4), y(rows * 6 * 4);
  a.write(std::vector<float>{1, 2, 7, 8, 13, 14});
  b.write(std::vector<float>{3, 4, 5, 9, 10, 11, 15, 16, 17});
  cc.write(std::vector<float>{6, 12, 18});
  CHECK(call<CTX(setTensorAddress)>(c, "a", a.get()));
  CHECK(call<CTX(setTensorAddress)>(c, "b", b.get()));
  CHECK(call<CTX(setTensorAddress)>(c, "c", cc.get()));
  CHECK(call<CTX(setTensorAddress)>(c, "y", y.get()));
  CHECK(call<CTX(enqueueV3)>(c, stream()));
  sync();
  const auto yv = y.read<float>(18);
  for (int i = 0; i < 18; ++i) CHECK_EQ(yv[i], static_cast<float>(i + 1));
}

TEST(execution, nonzero_goes_through_the_output_allocator) {
  Loaded<V> f("nonzero");
  Owned ctx(f.context());
  REQUIRE(ctx);
  void* c = ctx.get();
  const Dims64 d = dims({3, 5});
  CHECK(call<CTX(setInputShape)>(c, "x", &d));
  Buffer x(60), copy(60);
  x.write(std::vector<int32_t>{0, 4, 0, 0, -1, 0, 0, 0, 0, 0, 9, 0, 0, 2, 0});
  CHECK(call<CTX(setTensorAddress)>(c, "x", x.get()));
  CHECK(call<CTX(setTensorAddress)>(c, "copy", copy.get()));
  // Without an allocator for the data-dependent output, enqueue refuses.
  CHECK(!call<CTX(enqueueV3)>(c, stream()));
  CHECK_LOGGED(f.logger, "'indices' has a data-dependent shape and needs an output allocator");
  RecordingAllocator<V> alloc;
  CHECK(call<CTX(setOutputAllocator)>(c, "indices", static_cast<void*>(&alloc)));
  f.logger.clear();
  CHECK(call<CTX(enqueueV3)>(c, stream()));
  sync();
  CHECK_NO_ERRORS(f.logger);
  REQUIRE(alloc.calls.size() == 1);
  CHECK_STR(alloc.calls[0].name.c_str(), "indices");
  CHECK_EQ(alloc.calls[0].size, uint64_t{2 * 4 * 8});
  CHECK_EQ(alloc.calls[0].alignment, uint64_t{256});
  REQUIRE(alloc.shapes.count("indices") == 1);
  CHECK_DIMS(alloc.shapes["indices"], {2, 4});
  // Row-major order: (0,1) (0,4) (2,0) (2,3).
  CHECK((alloc.template read<int64_t>("indices", 8) == std::vector<int64_t>{0, 0, 2, 2, 1, 4, 0, 3}));
  CHECK((copy.read<int32_t>(15) == std::vector<int32_t>{0, 4, 0, 0, -1, 0, 0, 0, 0, 0, 9, 0, 0, 2, 0}));
  CHECK_DIMS(call<CTX(getTensorShape)>(c, "indices"), {2, -1});  // still data-dependent for the context

  // All zeros: an empty result still asks for a positive size.
  x.write(std::vector<int32_t>(15, 0));
  CHECK(call<CTX(enqueueV3)>(c, stream()));
  sync();
  REQUIRE(alloc.calls.size() == 2);
  CHECK_EQ(alloc.calls[1].size, uint64_t{1});
  CHECK_DIMS(alloc.shapes["indices"], {2, 0});

  alloc.returnNull = true;
  CHECK(!call<CTX(enqueueV3)>(c, stream()));
  CHECK_LOGGED(f.logger, "output allocator of 'indices' returned null");
}

TEST(execution, static_outputs_may_use_an_allocator_too) {
  Loaded<V> f("identity_f32");
  Owned ctx(f.context());
  REQUIRE(ctx);
  Buffer x(24);
  x.write(std::vector<float>{6, 5, 4, 3, 2, 1});
  RecordingAllocator<V> alloc;
  CHECK(call<CTX(setTensorAddress)>(ctx.get(), "x", x.get()));
  CHECK(call<CTX(setOutputAllocator)>(ctx.get(), "y", static_cast<void*>(&alloc)));
  CHECK(call<CTX(enqueueV3)>(ctx.get(), stream()));
  sync();
  REQUIRE(alloc.calls.size() == 1);
  CHECK_EQ(alloc.calls[0].size, uint64_t{24});
  CHECK_DIMS(alloc.shapes["y"], {2, 3});
  CHECK((alloc.template read<float>("y", 6) == std::vector<float>{6, 5, 4, 3, 2, 1}));
}

TEST(execution, aliased_output_is_written_in_place) {
  Loaded<V> f("aliased");
  Owned ctx(f.context());
  REQUIRE(ctx);
  void* c = ctx.get();
  std::vector<float> cache(32), update(32);
  for (int i = 0; i < 32; ++i) {
    cache[i] = static_cast<float>(i);
    update[i] = 1000.0f;
  }
  Buffer cb(128), ub(128), other(128);
  cb.write(cache);
  ub.write(update);
  CHECK(call<CTX(setTensorAddress)>(c, "cache", cb.get()));
  CHECK(call<CTX(setTensorAddress)>(c, "update", ub.get()));
  CHECK(call<CTX(setTensorAddress)>(c, "cache_out", other.get()));
  CHECK(!call<CTX(enqueueV3)>(c, stream()));
  CHECK_LOGGED(f.logger, "'cache_out' aliases input 'cache'");
  CHECK(call<CTX(setTensorAddress)>(c, "cache_out", nullptr));
  CHECK(call<CTX(enqueueV3)>(c, stream()));
  sync();
  const auto got = cb.read<float>(32);
  for (int i = 0; i < 32; ++i) CHECK_EQ(got[i], 1000.0f + static_cast<float>(i));
  CHECK(call<CTX(setTensorAddress)>(c, "cache_out", cb.get()));  // the same address is fine
  CHECK(call<CTX(enqueueV3)>(c, stream()));
  sync();
  CHECK_EQ(cb.read<float>(32)[5], 2005.0f);
}

TEST(execution, enqueue_reports_what_is_missing) {
  Loaded<V> f("mlp3");
  Owned ctx(f.context());
  REQUIRE(ctx);
  void* c = ctx.get();
  CHECK(!call<CTX(enqueueV3)>(c, stream()));
  CHECK_LOGGED(f.logger, "IExecutionContext::enqueueV3: the shape of input 'x' is not set");
  const Dims64 d = dims({2, 16});
  CHECK(call<CTX(setInputShape)>(c, "x", &d));
  CHECK(!call<CTX(enqueueV3)>(c, stream()));
  CHECK_LOGGED(f.logger, "input 'x' has no address");
  Buffer x(128), y(64);
  CHECK(call<CTX(setTensorAddress)>(c, "x", x.get()));
  CHECK(!call<CTX(enqueueV3)>(c, stream()));
  CHECK_LOGGED(f.logger, "output 'y' has no address");
  CHECK(call<CTX(setTensorAddress)>(c, "y", y.get()));
  f.logger.clear();
  CHECK(call<CTX(enqueueV3)>(c, stream()));
  CHECK_NO_ERRORS(f.logger);
}

TEST(execution, contexts_are_independent) {
  Loaded<V> f("add_dynamic");
  Owned c1(f.context()), c2(f.context());
  REQUIRE(c1 && c2);
  const Dims64 d1 = dims({2, 4}), d2 = dims({5, 4});
  CHECK(call<CTX(setInputShape)>(c1.get(), "a", &d1));
  CHECK(call<CTX(setInputShape)>(c2.get(), "a", &d2));
  CHECK_DIMS(call<CTX(getTensorShape)>(c1.get(), "a"), {2, 4});
  CHECK_DIMS(call<CTX(getTensorShape)>(c2.get(), "a"), {5, 4});
}
