// A small assertion harness (no downloads, no gtest). Tests are templates
// over the ABI table (trt_abi::V10 / V11); main() probes the library under
// test and runs the instantiation for its major. A failed CHECK records the
// failure and the test goes on; the process exits non-zero if any failed.
#pragma once

#include <cstdint>
#include <cstdio>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

#include "trt_abi.generated.h"

namespace t {

struct Options {
  std::string lib;       // path of libnvinfer.so.N
  std::string fixtures;  // fixtures/out
};
const Options& options();

void fail(const char* file, int line, const std::string& what);
int failures();
// Marks the current test as skipped and says why (SKIP below also returns).
// A run in which every test skipped exits with kSkipExitCode, which ctest
// reports as skipped (SKIP_RETURN_CODE).
void skip(const std::string& why);
constexpr int kSkipExitCode = 77;

template <class T>
std::string show(const T& v) {
  if constexpr (std::is_same_v<T, std::string>) return "\"" + v + "\"";
  else if constexpr (std::is_same_v<std::decay_t<T>, const char*> || std::is_same_v<std::decay_t<T>, char*>)
    return v ? "\"" + std::string(v) + "\"" : std::string("(null)");
  else if constexpr (std::is_pointer_v<T>) {
    std::ostringstream s;
    s << static_cast<const void*>(v);
    return s.str();
  } else if constexpr (std::is_same_v<T, bool>) return v ? "true" : "false";
  else if constexpr (std::is_enum_v<T>) return std::to_string(static_cast<long long>(v));
  else {
    std::ostringstream s;
    s << v;
    return s.str();
  }
}

using TestFn = void (*)();
struct TestCase {
  const char* group;
  const char* name;
  TestFn v10;
  TestFn v11;
};
std::vector<TestCase>& registry();
struct Registrar {
  Registrar(const char* group, const char* name, TestFn v10, TestFn v11) {
    registry().push_back({group, name, v10, v11});
  }
};

}  // namespace t

#define CHECK(cond)                                               \
  do {                                                            \
    if (!(cond)) ::t::fail(__FILE__, __LINE__, "CHECK(" #cond ")"); \
  } while (0)

#define CHECK_EQ(a, b)                                                                                      \
  do {                                                                                                      \
    const auto va_ = (a);                                                                                   \
    const auto vb_ = (b);                                                                                   \
    if (!(va_ == vb_))                                                                                      \
      ::t::fail(__FILE__, __LINE__, "CHECK_EQ(" #a ", " #b "): " + ::t::show(va_) + " vs " + ::t::show(vb_)); \
  } while (0)

#define CHECK_STR(a, b) CHECK_EQ(std::string((a) ? (a) : "(null)"), std::string(b))

// Stops the current test (for preconditions later checks depend on).
#define REQUIRE(cond)                                                   \
  do {                                                                  \
    if (!(cond)) {                                                      \
      ::t::fail(__FILE__, __LINE__, "REQUIRE(" #cond ") - test stopped"); \
      return;                                                           \
    }                                                                   \
  } while (0)

#define SKIP(why)   \
  do {              \
    ::t::skip(why); \
    return;         \
  } while (0)

// TEST(group, name) { ... }: the body is a template over `V`.
#define TEST(group, name)                                                                                \
  template <class V>                                                                                     \
  static void test_##group##_##name();                                                                   \
  static ::t::Registrar reg_##group##_##name(#group, #name, &test_##group##_##name<trt_abi::V10>,        \
                                             &test_##group##_##name<trt_abi::V11>);                      \
  template <class V>                                                                                     \
  static void test_##group##_##name()
