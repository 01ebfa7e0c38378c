// ICudaEngine's behaviour, independent of the ABI major: I/O description,
// profiles, device-memory sizes, weight streaming. Shared (shared_ptr) with
// the contexts and inspectors made from it, so releasing objects in the
// "wrong" order cannot leave one pointing at freed engine state.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "logger.h"
#include "plan.h"

namespace emu {

class Engine {
 public:
  Engine(std::shared_ptr<const Plan> plan, const Logger& logger);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  const Plan& plan() const { return *plan_; }
  const Logger& logger() const { return logger_; }

  int32_t nbIOTensors() const { return static_cast<int32_t>(plan_->io.size()); }
  const char* ioTensorName(int32_t index) const;
  // Looks up an I/O tensor, logging "<method>: no input or output tensor named 'x'".
  int ioTensor(const char* method, const char* name) const;

  Dims64 tensorShape(const char* name) const;
  int32_t tensorDataType(const char* name) const;
  int32_t tensorIOMode(const char* name) const;
  int32_t tensorBytesPerComponent(const char* name) const;
  int32_t tensorComponentsPerElement(const char* name) const;
  int32_t tensorFormat(const char* name) const;
  int32_t tensorLocation(const char* name) const;
  const char* tensorFormatDesc(const char* name) const;
  bool isShapeInferenceIO(const char* name) const;
  Dims64 profileShape(const char* name, int32_t profile, int32_t select) const;
  const char* aliasedInputTensor(const char* name) const;

  // Device memory: the scratch layout (memory_plan.h) at each profile's max
  // shapes, plus the weight-streaming scratch of the current budget.
  int64_t deviceMemorySize() const;
  int64_t deviceMemorySizeForProfile(int32_t profile) const;
  uint64_t streamingScratch() const;

  // Weight streaming (TensorRT's V2 API): the budget is the number of
  // streamable weight bytes allowed to stay resident; the default,
  // getStreamableWeightsSize(), means streaming is off. Setting it needs a
  // weight-streaming engine, a non-negative value and no live execution
  // contexts (TensorRT's rules); values above the streamable size turn
  // streaming off and read back as that size.
  int64_t streamableWeightsSize() const { return plan_->streamableWeights; }
  bool setWeightStreamingBudget(int64_t budget);
  int64_t weightStreamingBudget() const { return budget_.load(); }
  int64_t weightStreamingAutomaticBudget() const;

  // Contexts register so the budget rule above can be enforced.
  void contextCreated() { ++liveContexts_; }
  void contextDestroyed() { --liveContexts_; }

  // Matmul weights where the active backend can read them (device copies in
  // CUDA mode, made once on first use).
  bool layerWeights(int layer, const float*& weights, const float*& bias, std::string& error);

 private:
  std::shared_ptr<const Plan> plan_;
  Logger logger_;
  std::vector<std::string> formatDescs_;  // per tensor, stable storage for getTensorFormatDesc
  std::atomic<int64_t> budget_;
  std::atomic<int> liveContexts_{0};
  std::mutex weightsMutex_;
  std::vector<const void*> deviceWeights_, deviceBias_;
  bool weightsUploaded_ = false;
};

}  // namespace emu
