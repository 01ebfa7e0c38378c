// Argument decoding shared by the JS-facing classes. Numbers that stand for
// addresses, streams, sizes and dims must be integers in [0, 2^53): anything
// else is an InputError naming the argument, never a silent truncation.
#pragma once

#include <napi.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "errors.h"

namespace trtn {

struct ByteView {
  void* data = nullptr;
  size_t size = 0;
};

// Bytes of a TypedArray (any element type), Buffer, DataView or ArrayBuffer.
ByteView BytesArg(Napi::Value value, const std::string& what);
// A non-negative safe integer.
uint64_t IndexArg(Napi::Value value, const std::string& what);
// An address or stream handle; undefined/null count as 0 when `optional`.
void* PointerArg(Napi::Value value, const std::string& what, bool optional);
// A Float64Array's elements, without copying.
const double* Float64ArrayArg(napi_env env, napi_value value, const char* what, size_t* length);

// Clears a JS exception a failed N-API call left pending, so a fallback or our own error can follow.
void ClearPendingException(napi_env env);
// What a JS value is, for an error's `found`: "undefined", "a string", "the number 3", ...
std::string TypeOf(Napi::Value value);
std::string StringArg(Napi::Value value, const std::string& what);

}  // namespace trtn
