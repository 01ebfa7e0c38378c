// TRT_EMULATOR_MODE handling; ctest runs these groups with the variable set.
#include <cstdlib>

#include "caller.h"

using namespace t;

TEST(mode_host, forced_host_mode) {
  CHECK(emulatorInfo().find("\"mode\":\"host\"") != std::string::npos);
  Loaded<V> f("identity_f32");
  CHECK(f.engine);
  // Host mode takes plain host pointers and ignores the stream.
  Owned ctx(f.context());
  std::vector<float> x{1, 2, 3, 4, 5, 6}, y(6, 0);
  CHECK(call<CTX(setTensorAddress)>(ctx.get(), "x", static_cast<void*>(x.data())));
  CHECK(call<CTX(setTensorAddress)>(ctx.get(), "y", static_cast<void*>(y.data())));
  CHECK(call<CTX(enqueueV3)>(ctx.get(), reinterpret_cast<void*>(uintptr_t{0x1})));
  CHECK(y == x);
}

TEST(mode_bad, unknown_mode_is_refused) {
  CHECK(emulatorInfo().find("\"mode\":\"error\"") != std::string::npos);
  CaptureLogger<V> logger;
  CHECK(createRuntime<V>(logger) == nullptr);
  CHECK_LOGGED(logger, "TRT_EMULATOR_MODE is \"gpu\"; expected host, cuda or auto");
}

TEST(mode_cuda, forced_cuda_mode_works_or_says_why_not) {
  const std::string info = emulatorInfo();
  CaptureLogger<V> logger;
  Owned runtime(createRuntime<V>(logger));
  if (info.find("\"mode\":\"cuda\"") != std::string::npos) {
    CHECK(runtime);  // a CUDA build on a GPU machine
    CHECK(info.find("\"cuda\":true") != std::string::npos);
  } else {
    CHECK(!runtime);
    CHECK_LOGGED(logger, "TRT_EMULATOR_MODE=cuda but CUDA cannot be used");
  }
}
