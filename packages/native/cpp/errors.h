// Typed errors. A Failure is plain C++ data, so it can be raised on any thread
// (a deserialization worker, a CUDA call) and turned into a JS Error later, on
// the JS thread, with a stable `code`, a `name`, and fields the runtime can
// read instead of parsing messages.
#pragma once

#include <napi.h>

#include "abi_table.h"

#include <exception>
#include <string>
#include <utility>
#include <vector>

namespace trtn {

// Stable error codes (the contract with @trt/runtime and users).
inline constexpr const char* kCodeTensorRT = "TRT_TENSORRT_ERROR";
inline constexpr const char* kCodeReleased = "TRT_RELEASED";
inline constexpr const char* kCodeInput = "TRT_INPUT_ERROR";
inline constexpr const char* kCodeCuda = "TRT_CUDA_ERROR";
inline constexpr const char* kCodeUnavailable = "TRT_RUNTIME_UNAVAILABLE";
inline constexpr const char* kCodeUnsupported = "TRT_UNSUPPORTED";
inline constexpr const char* kCodeCallback = "TRT_CALLBACK_ERROR";

class Failure : public std::exception {
 public:
  Failure(std::string code, std::string name, std::string message)
      : code_(std::move(code)), name_(std::move(name)), message_(std::move(message)) {}

  Failure& With(std::string key, std::string value) {
    strings_.emplace_back(std::move(key), std::move(value));
    return *this;
  }
  Failure& WithNull(std::string key) {
    nulls_.push_back(std::move(key));
    return *this;
  }
  Failure& With(std::string key, double value) {
    numbers_.emplace_back(std::move(key), value);
    return *this;
  }
  Failure& With(std::string key, std::vector<std::string> list) {
    lists_.emplace_back(std::move(key), std::move(list));
    return *this;
  }

  const char* what() const noexcept override { return message_.c_str(); }
  const std::string& code() const { return code_; }

  // Builds the JS Error; call on the JS thread.
  Napi::Error ToJs(Napi::Env env) const;

 private:
  std::string code_, name_, message_;
  std::vector<std::pair<std::string, std::string>> strings_;
  std::vector<std::pair<std::string, double>> numbers_;
  std::vector<std::pair<std::string, std::vector<std::string>>> lists_;
  std::vector<std::string> nulls_;
};

// A TensorRT call returned failure. `method` is "Class::method"; `message` is
// the logger's last error for that call ("" when TensorRT logged none).
Failure TensorRTFailure(const std::string& method, const std::string& message, const std::string& tensor = "");
// The JS object's native resources were released with release().
Failure ReleasedFailure(const char* what, const char* method);
// Arguments that do not match the engine or the method. `problem` names what
// is wrong, in the runtime InputError's terms: "count", "rank", "shape",
// "device" (an address), "name", or "argument" (a method's argument of the
// wrong kind); `expected` and `found` say what was needed and what came, and
// `tensor` the I/O tensor concerned ("" for none). The JS error carries them
// as fields; its message reads "<where>: expected ...; found ...".
Failure InputFailure(const char* problem, const std::string& where, const std::string& expected, const std::string& found,
                     const std::string& tensor = "");
// The loaded library predates a method (its `since` is newer).
Failure UnsupportedFailure(const std::string& method, int32_t libraryVersion);

// Delivers queued TensorRT log lines of every loaded library to their sinks
// (library.cc); called before a TensorRTError is thrown so that the sink sees a
// call's messages before its caller sees the error.
void DrainLoggers(Napi::Env env);

// Runs `body`, converting our C++ failures into JS exceptions. Every JS-facing
// entry point goes through this, so no C++ exception escapes into Node.
template <class F>
auto Guard(Napi::Env env, F&& body) -> decltype(body()) {
  try {
    return body();
  } catch (const Failure& f) {
    if (f.code() == kCodeTensorRT) DrainLoggers(env);
    throw f.ToJs(env);
  } catch (const UnsupportedMethod& m) {
    throw UnsupportedFailure(m.name, m.libraryVersion).ToJs(env);
  } catch (const Napi::Error&) {
    throw;
  } catch (const std::bad_alloc&) {
    throw Napi::Error::New(env, "@trt/native: out of host memory");
  } catch (const std::exception& e) {
    throw Napi::Error::New(env, std::string("@trt/native: ") + e.what());
  }
}

// Guard for functions that return a promise: any error, argument errors
// included, becomes a rejection, as it would from an async JS function.
template <class F>
Napi::Value GuardAsync(Napi::Env env, F&& body) {
  try {
    return Guard(env, std::forward<F>(body));
  } catch (const Napi::Error& e) {
    Napi::Promise::Deferred d = Napi::Promise::Deferred::New(env);
    d.Reject(e.Value());
    return d.Promise();
  }
}

}  // namespace trtn
