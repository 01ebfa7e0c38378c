// Exported C entry points: versions, the emulator marker, runtime creation
// and its version check, the refitter entry point, the host-code switch.
#include "caller.h"

using namespace t;

TEST(entry, versions_match_the_presented_major) {
  const int major = V::kMajor;
  CHECK_EQ(libMajor(), major);
  const int32_t version = symbol<int32_t (*)()>("getInferLibVersion")();
  CHECK_EQ(version, major == 10 ? 101600 : 110100);
  CHECK_EQ(symbol<int32_t (*)()>("getInferLibMajorVersion")(), major);
  CHECK_EQ(symbol<int32_t (*)()>("getInferLibMinorVersion")(), major == 10 ? 16 : 1);
  CHECK_EQ(symbol<int32_t (*)()>("getInferLibPatchVersion")(), 0);
  CHECK_EQ(symbol<int32_t (*)()>("getInferLibBuildVersion")(), 0);
}

TEST(entry, emulator_info_identifies_the_emulator) {
  const std::string info = emulatorInfo();
  CHECK(info.find("\"emulator\":true") != std::string::npos);
  CHECK(info.find("\"version\":\"0.1.0\"") != std::string::npos);
  CHECK(info.find("\"major\":" + std::to_string(V::kMajor)) != std::string::npos);
  CHECK(info.find("\"mode\":\"host\"") != std::string::npos || info.find("\"mode\":\"cuda\"") != std::string::npos);
  CHECK(info.find("\"cuda\":true") != std::string::npos || info.find("\"cuda\":false") != std::string::npos);
}

TEST(entry, hidden_symbols_are_not_exported) {
  // Only the C entry points are visible, not the internals (trt*.exports checks the full list).
  CHECK(symbol<void*>("createInferRuntime_INTERNAL") != nullptr);
  CHECK(symbol<void*>("_ZN3emu10readPlanEPKvmRNSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEE") == nullptr);
}

TEST(entry, runtime_is_created_and_logs_through_the_callers_logger) {
  CaptureLogger<V> logger;
  Owned runtime(createRuntime<V>(logger));
  REQUIRE(runtime);
  CHECK_NO_ERRORS(logger);
  CHECK(!logger.entries.empty());  // the VERBOSE banner arrived at the major's log slot
  CHECK(logger.entries.at(0).message.find("TensorRT emulator") != std::string::npos);
}

TEST(entry, other_major_is_refused_and_told_through_its_own_logger_layout) {
  // A caller of the other major passes a logger with that major's layout and
  // its version; the library refuses but still reaches the right log slot.
  auto create = symbol<void* (*)(void*, int32_t)>("createInferRuntime_INTERNAL");
  if constexpr (V::kMajor == 10) {
    CaptureLogger<trt_abi::V11> other;
    CHECK(create(&other, 110100) == nullptr);
    CHECK_LOGGED(other, "major 11");
  } else {
    CaptureLogger<trt_abi::V10> other;
    CHECK(create(&other, 101600) == nullptr);
    CHECK_LOGGED(other, "major 10");
  }
  CaptureLogger<V> same;
  CHECK(create(&same, 90000) == nullptr);  // major 9: unknown layout, reported on stderr
  CHECK_EQ(same.errors(), 0);
}

TEST(entry, refitter_is_not_emulated) {
  CaptureLogger<V> logger;
  auto refit = symbol<void* (*)(void*, void*, int32_t)>("createInferRefitter_INTERNAL");
  REQUIRE(refit);
  CHECK(refit(nullptr, &logger, symbol<int32_t (*)()>("getInferLibVersion")()) == nullptr);
  CHECK_LOGGED(logger, "not emulated: createInferRefitter");
}

TEST(entry, host_code_needs_permission) {
  CaptureLogger<V> logger;
  Owned runtime(createRuntime<V>(logger));
  REQUIRE(runtime);
  CHECK_EQ(call<RT(getEngineHostCodeAllowed)>(runtime.get()), false);
  const auto plan = readFixture("host_code.plan");
  CHECK(deserialize<V>(runtime.get(), plan) == nullptr);
  CHECK_LOGGED(logger, "setEngineHostCodeAllowed(true)");
  call<RT(setEngineHostCodeAllowed)>(runtime.get(), true);
  CHECK_EQ(call<RT(getEngineHostCodeAllowed)>(runtime.get()), true);
  Owned engine(deserialize<V>(runtime.get(), plan));
  CHECK(engine);
  CHECK_STR(call<ENG(getName)>(engine.get()), "host_code");
}

TEST(entry, plans_for_another_major_are_refused) {
  CaptureLogger<V> logger;
  Owned runtime(createRuntime<V>(logger));
  REQUIRE(runtime);
  Owned engine(deserialize<V>(runtime.get(), readFixture("trt11_only.plan")));
  if constexpr (V::kMajor == 11) {
    CHECK(engine);
    CHECK_NO_ERRORS(logger);
  } else {
    CHECK(!engine);
    CHECK_LOGGED(logger, "built for TensorRT 11");
  }
}
