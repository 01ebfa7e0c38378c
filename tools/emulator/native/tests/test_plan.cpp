// The plan reader: every kind of bad input is refused with a logged error and
// a null engine, and no input makes it crash or read past the buffer (run
// the suite under ASan with -DTRT_EMU_SANITIZE=ON to check the latter).
#include "caller.h"

using namespace t;

namespace {

uint32_t crc32(const uint8_t* p, size_t n) {
  uint32_t c = 0xFFFFFFFFu;
  for (size_t i = 0; i < n; ++i) {
    c ^= p[i];
    for (int k = 0; k < 8; ++k) c = (c & 1u) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
  }
  return c ^ 0xFFFFFFFFu;
}

void fixChecksum(std::vector<uint8_t>& plan) {
  const uint32_t c = crc32(plan.data(), plan.size() - 4);
  std::memcpy(plan.data() + plan.size() - 4, &c, 4);
}

}  // namespace

TEST(plan, invalid_fixtures_are_refused_with_a_reason) {
  const std::pair<const char*, const char*> cases[] = {
      {"empty", "shorter than the smallest valid plan"},
      {"bad_magic", "bad magic"},
      {"truncated", "truncated or padded plan"},
      {"bad_checksum", "checksum mismatch"},
      {"future_version", "plan format version 99 is not supported"},
      {"wrong_shape", "declared [2,4] but its layer produces [2,3]"},
      {"cycle", "before it is produced"},
  };
  CaptureLogger<V> logger;
  Owned runtime(createRuntime<V>(logger));
  REQUIRE(runtime);
  for (const auto& c : cases) {
    logger.clear();
    const auto plan = readFixture(std::string("invalid/") + c.first + ".plan");
    Owned engine(deserialize<V>(runtime.get(), plan));
    CHECK(!engine);
    CHECK_LOGGED(logger, c.second);
    CHECK_LOGGED(logger, "IRuntime::deserializeCudaEngine");
  }
}

TEST(plan, null_and_empty_blobs_are_refused) {
  CaptureLogger<V> logger;
  Owned runtime(createRuntime<V>(logger));
  REQUIRE(runtime);
  CHECK(call<RT(deserializeCudaEngine)>(runtime.get(), nullptr, uint64_t{100}) == nullptr);
  CHECK_LOGGED(logger, "null");
  uint8_t one = 0;
  CHECK(call<RT(deserializeCudaEngine)>(runtime.get(), static_cast<void*>(&one), uint64_t{0}) == nullptr);
  CHECK_LOGGED(logger, "shorter");
}

TEST(plan, every_truncation_is_refused) {
  CaptureLogger<V> logger;
  Owned runtime(createRuntime<V>(logger));
  REQUIRE(runtime);
  const auto plan = readFixture("mlp3.plan");
  int refused = 0;
  for (size_t n = 0; n < plan.size(); ++n) {
    // An exact-size copy, so reading one byte too far would leave the allocation.
    std::vector<uint8_t> prefix(plan.begin(), plan.begin() + static_cast<long>(n));
    logger.clear();
    Owned engine(deserialize<V>(runtime.get(), prefix));
    refused += engine ? 0 : 1;
    CHECK(logger.errors() > 0);
  }
  CHECK_EQ(refused, static_cast<int>(plan.size()));
}

TEST(plan, every_corrupted_byte_is_caught_by_the_checksum) {
  CaptureLogger<V> logger;
  Owned runtime(createRuntime<V>(logger));
  REQUIRE(runtime);
  const auto plan = readFixture("identity_f32.plan");
  for (size_t i = 0; i < plan.size(); ++i) {
    auto bad = plan;
    bad[i] ^= 0x5A;
    Owned engine(deserialize<V>(runtime.get(), bad));
    CHECK(!engine);
  }
}

TEST(plan, mutations_that_pass_the_checksum_never_crash) {
  // Flip each byte (then fix the checksum, so the structural checks are what
  // stands between the bytes and the engine): either a valid engine comes out
  // or an error is logged.
  CaptureLogger<V> logger;
  Owned runtime(createRuntime<V>(logger));
  REQUIRE(runtime);
  for (const char* fixture : {"identity_f32.plan", "concat.plan", "nonzero.plan", "aliased.plan"}) {
    const auto plan = readFixture(fixture);
    for (size_t i = 0; i + 4 < plan.size(); ++i) {
      for (uint8_t mask : {uint8_t{0x01}, uint8_t{0x80}, uint8_t{0xFF}}) {
        auto bad = plan;
        bad[i] ^= mask;
        fixChecksum(bad);
        logger.clear();
        Owned engine(deserialize<V>(runtime.get(), bad));
        if (!engine) CHECK(logger.errors() > 0);
      }
    }
  }
}

TEST(plan, trailing_bytes_are_refused) {
  CaptureLogger<V> logger;
  Owned runtime(createRuntime<V>(logger));
  REQUIRE(runtime);
  auto plan = readFixture("identity_f32.plan");
  plan.push_back(0);
  CHECK(deserialize<V>(runtime.get(), plan) == nullptr);
  CHECK_LOGGED(logger, "truncated or padded");
}
