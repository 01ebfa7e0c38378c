// Every JS object this addon creates carries a type tag, and every method
// checks its receiver first. node-addon-api's ObjectWrap unwraps `this`
// without checking its class, so `Engine.prototype.release.call(context)`
// would otherwise run Engine code on a context's memory; with the check it is
// a TypeError.
#pragma once

#include <napi.h>

#include <string>

namespace trtn {

inline constexpr napi_type_tag kBackendTag = {0x5b1f0e8c2d4a7391ULL, 0x8e2c41a7f05d3b96ULL};
inline constexpr napi_type_tag kEngineTag = {0x2a6e9d13c8b74f05ULL, 0xc3d17a0592e84b61ULL};
inline constexpr napi_type_tag kContextTag = {0x7e3d1c2a9b8f4e61ULL, 0xa41c55d0e2b97f38ULL};
inline constexpr napi_type_tag kMemoryTag = {0x91c4f2e07a3b6d58ULL, 0x4f8a2e61d9c07b13ULL};

inline bool HasTag(napi_env env, napi_value value, const napi_type_tag& tag) {
  bool ok = false;
  return napi_check_object_type_tag(env, value, &tag, &ok) == napi_ok && ok;
}

inline void RequireReceiver(const Napi::CallbackInfo& info, const napi_type_tag& tag, const char* className) {
  if (!HasTag(info.Env(), info.This(), tag)) {
    throw Napi::TypeError::New(info.Env(), std::string("Illegal invocation: the receiver is not a ") + className);
  }
}

}  // namespace trtn
