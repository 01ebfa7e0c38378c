#include "js_args.h"

namespace trtn {
namespace {

constexpr double kMaxSafeInteger = 9007199254740991.0;

}  // namespace

std::string TypeOf(Napi::Value v) {
  switch (v.Type()) {
    case napi_undefined: return "undefined";
    case napi_null: return "null";
    case napi_boolean: return "a boolean";
    case napi_number: return "the number " + v.ToString().Utf8Value();
    case napi_string: return "a string";
    case napi_bigint: return "a bigint";
    case napi_function: return "a function";
    default: return "an object";
  }
}

ByteView BytesArg(Napi::Value value, const std::string& what) {
  ByteView view;
  if (value.IsTypedArray()) {
    Napi::TypedArray array = value.As<Napi::TypedArray>();
    napi_typedarray_type type;
    size_t length = 0;
    void* data = nullptr;
    napi_value buffer;
    size_t offset = 0;
    NAPI_THROW_IF_FAILED(value.Env(), napi_get_typedarray_info(value.Env(), array, &type, &length, &data, &buffer, &offset),
                         view);
    view.data = data;
    view.size = array.ByteLength();
  } else if (value.IsDataView()) {
    Napi::DataView dv = value.As<Napi::DataView>();
    view.data = static_cast<uint8_t*>(dv.ArrayBuffer().Data()) + dv.ByteOffset();
    view.size = dv.ByteLength();
  } else if (value.IsArrayBuffer()) {
    Napi::ArrayBuffer ab = value.As<Napi::ArrayBuffer>();
    view.data = ab.Data();
    view.size = ab.ByteLength();
  } else {
    throw InputFailure("argument", what, "a TypedArray, Buffer, DataView or ArrayBuffer", TypeOf(value));
  }
  return view;
}

uint64_t IndexArg(Napi::Value value, const std::string& what) {
  if (!value.IsNumber()) throw InputFailure("argument", what, "a non-negative integer", TypeOf(value));
  const double v = value.As<Napi::Number>().DoubleValue();
  if (!(v >= 0 && v <= kMaxSafeInteger) || static_cast<double>(static_cast<uint64_t>(v)) != v) {
    throw InputFailure("argument", what, "a non-negative integer", TypeOf(value));
  }
  return static_cast<uint64_t>(v);
}

void* PointerArg(Napi::Value value, const std::string& what, bool optional) {
  if (optional && (value.IsUndefined() || value.IsNull())) return nullptr;
  return reinterpret_cast<void*>(static_cast<uintptr_t>(IndexArg(value, what)));
}

const double* Float64ArrayArg(napi_env env, napi_value value, const char* what, size_t* length) {
  // Straight to the typed-array info: this runs on every execute(), and the
  // error text is only built when the value is not a Float64Array.
  napi_typedarray_type type;
  void* data = nullptr;
  napi_value buffer;
  size_t offset = 0;
  if (napi_get_typedarray_info(env, value, &type, length, &data, &buffer, &offset) == napi_ok &&
      type == napi_float64_array) {
    return static_cast<const double*>(data);
  }
  ClearPendingException(env);
  throw InputFailure("argument", what, "a Float64Array", TypeOf(Napi::Value(env, value)));
}

void ClearPendingException(napi_env env) {
  bool pending = false;
  if (napi_is_exception_pending(env, &pending) == napi_ok && pending) {
    napi_value ignored;
    napi_get_and_clear_last_exception(env, &ignored);
  }
}

std::string StringArg(Napi::Value value, const std::string& what) {
  if (!value.IsString()) throw InputFailure("argument", what, "a string", TypeOf(value));
  return value.As<Napi::String>().Utf8Value();
}

}  // namespace trtn
