// IEngineInspector: layer and engine information as JSON or one line per
// layer, in the shape TensorRT uses ({"Layers": [...], "Bindings": [...]}).
// With kLAYER_NAMES_ONLY or kNONE profiling verbosity a layer is only its
// name; with kDETAILED it is an object with type, inputs and outputs (shapes
// from the attached context when one is set and its shapes are known).
#pragma once

#include <memory>
#include <string>

#include "context.h"
#include "engine.h"

namespace emu {

class Inspector {
 public:
  explicit Inspector(std::shared_ptr<Engine> engine) : engine_(std::move(engine)) {}

  // `wrapper` is what getExecutionContext hands back.
  void setContext(std::weak_ptr<Context> context, void* wrapper) {
    context_ = std::move(context);
    contextWrapper_ = wrapper;
  }
  void* contextWrapper() const { return context_.expired() ? nullptr : contextWrapper_; }
  Engine& engine() { return *engine_; }

  const char* layerInformation(int32_t layer, int32_t format);
  const char* engineInformation(int32_t format);

 private:
  std::string layerText(int layer, bool json);
  std::string tensorJson(int tensor, const std::vector<Dims64>* shapes);

  std::shared_ptr<Engine> engine_;
  std::weak_ptr<Context> context_;
  void* contextWrapper_ = nullptr;
  std::string text_;  // the last answer; valid until the next call (TensorRT's rule too)
};

}  // namespace emu
