#include "errors.h"

namespace trtn {

Napi::Error Failure::ToJs(Napi::Env env) const {
  Napi::Error error = Napi::Error::New(env, message_);
  Napi::Object obj = error.Value();
  obj.Set("name", name_);
  obj.Set("code", code_);
  for (const auto& [key, value] : strings_) obj.Set(key, value);
  for (const auto& [key, value] : numbers_) obj.Set(key, value);
  for (const auto& key : nulls_) obj.Set(key, env.Null());
  for (const auto& [key, list] : lists_) {
    Napi::Array array = Napi::Array::New(env, list.size());
    for (uint32_t i = 0; i < list.size(); ++i) array.Set(i, list[i]);
    obj.Set(key, array);
  }
  return error;
}

Failure TensorRTFailure(const std::string& method, const std::string& message, const std::string& tensor) {
  std::string text = "TensorRT " + method + " failed";
  if (!tensor.empty()) text += " for tensor '" + tensor + "'";
  text += message.empty() ? " (TensorRT logged no error message; set a log sink with severity 'verbose' for context)"
                          : ": " + message;
  Failure f(kCodeTensorRT, "TensorRTError", text);
  f.With("method", method);
  if (message.empty()) {
    f.WithNull("tensorrtMessage");
  } else {
    f.With("tensorrtMessage", message);
  }
  if (!tensor.empty()) f.With("tensor", tensor);
  return f;
}

Failure ReleasedFailure(const char* what, const char* method) {
  Failure f(kCodeReleased, "ReleasedError",
            std::string(what) + " was released; " + method + "() cannot be called on it any more. Create a new " +
                what + " instead.");
  f.With("method", method);
  return f;
}

Failure InputFailure(const char* problem, const std::string& where, const std::string& expected, const std::string& found,
                     const std::string& tensor) {
  Failure f(kCodeInput, "InputError", where + ": expected " + expected + "; found " + found);
  f.With("problem", std::string(problem)).With("expected", expected).With("found", found);
  if (tensor.empty()) {
    f.WithNull("tensor");
  } else {
    f.With("tensor", tensor);
  }
  return f;
}

Failure UnsupportedFailure(const std::string& method, int32_t libraryVersion) {
  Failure f(kCodeUnsupported, "UnsupportedError",
            method + " is not available in the loaded TensorRT (" + std::to_string(libraryVersion / 10000) + "." +
                std::to_string(libraryVersion / 100 % 100) + "." + std::to_string(libraryVersion % 100) +
                "); it needs a newer release.");
  f.With("method", method);
  return f;
}

}  // namespace trtn
