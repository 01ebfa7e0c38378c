// Runs the tests of one group against one library:
//   emu_tests --lib build/host/lib10/libnvinfer.so.10 --fixtures fixtures/out --group engine
#include <dlfcn.h>

#include <cstring>

#include "harness.h"

namespace t {

namespace {
Options gOptions;
int gFailures = 0;
const char* gCurrent = "";
bool gSkipped = false;
}  // namespace

const Options& options() { return gOptions; }

void fail(const char* file, int line, const std::string& what) {
  ++gFailures;
  std::fprintf(stderr, "  FAIL [%s] %s:%d: %s\n", gCurrent, file, line, what.c_str());
}

int failures() { return gFailures; }

void skip(const std::string& why) {
  gSkipped = true;
  std::printf("  skip [%s]: %s\n", gCurrent, why.c_str());
}

std::vector<TestCase>& registry() {
  static std::vector<TestCase> r;
  return r;
}

}  // namespace t

int main(int argc, char** argv) {
  std::string group;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--lib")) t::gOptions.lib = argv[i + 1];
    else if (!std::strcmp(argv[i], "--fixtures")) t::gOptions.fixtures = argv[i + 1];
    else if (!std::strcmp(argv[i], "--group")) group = argv[i + 1];
  }
  if (t::gOptions.lib.empty()) {
    std::fprintf(stderr, "usage: emu_tests --lib PATH --fixtures DIR [--group NAME]\n");
    return 2;
  }
  // The major decides which instantiation runs, as it decides a real caller's table.
  void* h = dlopen(t::gOptions.lib.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!h) {
    std::fprintf(stderr, "cannot load %s: %s\n", t::gOptions.lib.c_str(), dlerror());
    return 2;
  }
  auto version = reinterpret_cast<int32_t (*)()>(dlsym(h, "getInferLibVersion"));
  const int major = version ? trt_abi::majorOfVersion(version()) : 0;
  if (major != 10 && major != 11) {
    std::fprintf(stderr, "%s reports major %d; the tests know 10 and 11\n", t::gOptions.lib.c_str(), major);
    return 2;
  }
  int ran = 0, skipped = 0;
  for (const t::TestCase& tc : t::registry()) {
    if (!group.empty() && group != tc.group) continue;
    t::gCurrent = tc.name;
    t::gSkipped = false;
    const int before = t::failures();
    (major == 10 ? tc.v10 : tc.v11)();
    const bool failed = t::failures() != before;
    std::printf("%s %s.%s (TensorRT %d table)\n", failed ? "FAIL" : (t::gSkipped ? "skip" : "ok  "), tc.group, tc.name,
                major);
    ++ran;
    skipped += !failed && t::gSkipped ? 1 : 0;
  }
  if (ran == 0) {
    std::fprintf(stderr, "no tests in group '%s'\n", group.c_str());
    return 2;
  }
  std::printf("%d tests, %d skipped, %d failed checks\n", ran, skipped, t::failures());
  if (t::failures() == 0 && skipped == ran) return t::kSkipExitCode;
  return t::failures() == 0 ? 0 : 1;
}
