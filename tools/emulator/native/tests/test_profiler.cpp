// Per-layer profiling through the caller's IProfiler.
#include <chrono>

#include "caller.h"

using namespace t;

namespace {

template <class V>
void bindBusywait(void* c, Buffer& x, Buffer& y) {
  x.write(std::vector<float>{1, 2, 3, 4});
  CHECK(call<CTX(setTensorAddress)>(c, "x", x.get()));
  CHECK(call<CTX(setTensorAddress)>(c, "y", y.get()));
}

}  // namespace

TEST(profiler, enqueue_reports_every_layer_by_name) {
  Loaded<V> f("busywait");
  Owned ctx(f.context());
  REQUIRE(ctx);
  Buffer x(16), y(16);
  bindBusywait<V>(ctx.get(), x, y);
  RecordingProfiler<V> profiler;
  call<CTX(setProfiler)>(ctx.get(), static_cast<void*>(&profiler));
  const auto started = std::chrono::steady_clock::now();
  CHECK(call<CTX(enqueueV3)>(ctx.get(), stream()));
  sync();
  const double wallMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  REQUIRE(profiler.reports.size() == 3);
  CHECK_STR(profiler.reports[0].first.c_str(), "wait_200us");
  CHECK_STR(profiler.reports[1].first.c_str(), "wait_500us");
  CHECK_STR(profiler.reports[2].first.c_str(), "wait_1000us");
  // Each layer spins at least its time (CUDA: a GPU timer; host: a steady clock).
  CHECK(profiler.reports[0].second >= 0.19f);
  CHECK(profiler.reports[1].second >= 0.49f);
  CHECK(profiler.reports[2].second >= 0.99f);
  // From above, the layers ran inside the enqueue and the sync, however long a busy machine made
  // that: a unit slip (us reported as ms) would not fit. The slack covers float rounding.
  CHECK(profiler.reports[0].second + profiler.reports[1].second + profiler.reports[2].second <= wallMs * 1.01 + 0.01);
  CHECK((y.read<float>(4) == std::vector<float>{1, 2, 3, 4}));
  CHECK_NO_ERRORS(f.logger);
}

TEST(profiler, deferred_reports_wait_for_report_to_profiler) {
  Loaded<V> f("busywait");
  Owned ctx(f.context());
  REQUIRE(ctx);
  Buffer x(16), y(16);
  bindBusywait<V>(ctx.get(), x, y);
  RecordingProfiler<V> profiler;
  call<CTX(setProfiler)>(ctx.get(), static_cast<void*>(&profiler));
  call<CTX(setEnqueueEmitsProfile)>(ctx.get(), false);
  CHECK(call<CTX(enqueueV3)>(ctx.get(), stream()));
  sync();
  CHECK_EQ(profiler.reports.size(), size_t{0});
  CHECK(call<CTX(reportToProfiler)>(ctx.get()));
  CHECK_EQ(profiler.reports.size(), size_t{3});
  CHECK_STR(profiler.reports[1].first.c_str(), "wait_500us");
  CHECK(!call<CTX(reportToProfiler)>(ctx.get()));  // nothing new to report
  CHECK_EQ(profiler.reports.size(), size_t{3});
}

TEST(profiler, report_to_profiler_needs_a_profiler) {
  Loaded<V> f("busywait");
  Owned ctx(f.context());
  REQUIRE(ctx);
  CHECK(!call<CTX(reportToProfiler)>(ctx.get()));
  CHECK_LOGGED(f.logger, "no profiler is set");
  RecordingProfiler<V> profiler;
  call<CTX(setProfiler)>(ctx.get(), static_cast<void*>(&profiler));
  CHECK(call<CTX(reportToProfiler)>(ctx.get()));  // emits-on-enqueue: documented no-op
  CHECK_EQ(profiler.reports.size(), size_t{0});
}

TEST(profiler, without_a_profiler_nothing_is_timed) {
  Loaded<V> f("mlp3");
  Owned ctx(f.context());
  REQUIRE(ctx);
  RecordingProfiler<V> profiler;
  call<CTX(setProfiler)>(ctx.get(), static_cast<void*>(&profiler));
  call<CTX(setProfiler)>(ctx.get(), nullptr);
  const Dims64 d = dims({1, 16});
  CHECK(call<CTX(setInputShape)>(ctx.get(), "x", &d));
  Buffer x(64), y(32);
  x.fill(0);
  CHECK(call<CTX(setTensorAddress)>(ctx.get(), "x", x.get()));
  CHECK(call<CTX(setTensorAddress)>(ctx.get(), "y", y.get()));
  CHECK(call<CTX(enqueueV3)>(ctx.get(), stream()));
  CHECK_EQ(profiler.reports.size(), size_t{0});
}
