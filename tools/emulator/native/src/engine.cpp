#include "engine.h"

#include <algorithm>

#include "backend.h"
#include "dims.h"
#include "memory_plan.h"
#include "mode.h"

namespace emu {

Engine::Engine(std::shared_ptr<const Plan> plan, const Logger& logger)
    : plan_(std::move(plan)), logger_(logger), budget_(plan_->streamableWeights) {
  for (const TensorDesc& t : plan_->tensors)
    formatDescs_.push_back(std::string("Row major linear ") + dtypeTrtName(t.dtype) + " format (kLINEAR)");
}

Engine::~Engine() {
  Backend& b = activeBackend();
  for (const void* p : deviceWeights_) if (p) b.releaseConstant(p);
  for (const void* p : deviceBias_) if (p) b.releaseConstant(p);
}

const char* Engine::ioTensorName(int32_t index) const {
  if (index < 0 || index >= nbIOTensors()) {
    logger_.error("ICudaEngine::getIOTensorName: index " + std::to_string(index) + " is outside [0, " +
                  std::to_string(nbIOTensors()) + ")");
    return nullptr;
  }
  return plan_->tensors[plan_->io[index]].name.c_str();
}

int Engine::ioTensor(const char* method, const char* name) const {
  const int t = plan_->findIO(name);
  if (t < 0)
    logger_.error(std::string(method) + ": no input or output tensor named '" + (name ? name : "(null)") + "'");
  return t;
}

Dims64 Engine::tensorShape(const char* name) const {
  const int t = ioTensor("ICudaEngine::getTensorShape", name);
  return t < 0 ? invalidDims() : plan_->tensors[t].dims;
}

int32_t Engine::tensorDataType(const char* name) const {
  // TensorRT answers kFLOAT for an unknown name (after logging).
  const int t = ioTensor("ICudaEngine::getTensorDataType", name);
  return t < 0 ? 0 : static_cast<int32_t>(plan_->tensors[t].dtype);
}

int32_t Engine::tensorIOMode(const char* name) const {
  // kNONE for names that are not I/O tensors, without an error: TensorRT
  // documents this as the way to ask "is this an I/O tensor?".
  const int t = plan_->findIO(name);
  return t < 0 ? 0 : static_cast<int32_t>(plan_->tensors[t].role);
}

int32_t Engine::tensorBytesPerComponent(const char* name) const {
  const int t = ioTensor("ICudaEngine::getTensorBytesPerComponent", name);
  return t < 0 ? -1 : dtypeSize(plan_->tensors[t].dtype);
}

int32_t Engine::tensorComponentsPerElement(const char* name) const {
  return ioTensor("ICudaEngine::getTensorComponentsPerElement", name) < 0 ? -1 : 1;
}

int32_t Engine::tensorFormat(const char* name) const {
  ioTensor("ICudaEngine::getTensorFormat", name);
  return 0;  // kLINEAR (also TensorRT's answer for unknown names)
}

int32_t Engine::tensorLocation(const char* name) const {
  ioTensor("ICudaEngine::getTensorLocation", name);
  return 0;  // kDEVICE: in host mode the "device" simply is host memory
}

const char* Engine::tensorFormatDesc(const char* name) const {
  const int t = ioTensor("ICudaEngine::getTensorFormatDesc", name);
  return t < 0 ? nullptr : formatDescs_[t].c_str();
}

bool Engine::isShapeInferenceIO(const char* name) const {
  ioTensor("ICudaEngine::isShapeInferenceIO", name);
  return false;  // the emulator has no shape tensors
}

Dims64 Engine::profileShape(const char* name, int32_t profile, int32_t select) const {
  const int t = ioTensor("ICudaEngine::getProfileShape", name);
  if (t < 0) return invalidDims();
  const TensorDesc& td = plan_->tensors[t];
  if (td.role != TensorRole::kInput) {
    logger_.error("ICudaEngine::getProfileShape: '" + td.name + "' is an output; profiles describe inputs");
    return invalidDims();
  }
  if (profile < 0 || profile >= static_cast<int32_t>(plan_->profiles.size())) {
    logger_.error("ICudaEngine::getProfileShape: profile " + std::to_string(profile) + " is outside [0, " +
                  std::to_string(plan_->profiles.size()) + ")");
    return invalidDims();
  }
  const ProfileDesc& p = plan_->profiles[profile];
  switch (select) {
    case 0: return p.min[td.inputOrdinal];
    case 1: return p.opt[td.inputOrdinal];
    case 2: return p.max[td.inputOrdinal];
    default:
      logger_.error("ICudaEngine::getProfileShape: selector " + std::to_string(select) + " is not kMIN, kOPT or kMAX");
      return invalidDims();
  }
}

const char* Engine::aliasedInputTensor(const char* name) const {
  const int t = ioTensor("ICudaEngine::getAliasedInputTensor", name);
  if (t < 0 || plan_->aliasOf[t] < 0) return nullptr;
  return plan_->tensors[plan_->aliasOf[t]].name.c_str();
}

uint64_t Engine::streamingScratch() const {
  // Emulator rule (TensorRT's sizing is internal): a quarter of the bytes
  // that do not fit the budget, rounded up to 256.
  const int64_t streamed = plan_->streamableWeights - budget_.load();
  return streamed > 0 ? alignUp(static_cast<uint64_t>(streamed + 3) / 4, 256) : 0;
}

int64_t Engine::deviceMemorySizeForProfile(int32_t profile) const {
  if (profile < 0 || profile >= static_cast<int32_t>(plan_->profiles.size())) {
    logger_.error("ICudaEngine::getDeviceMemorySizeForProfileV2: profile " + std::to_string(profile) +
                  " is outside [0, " + std::to_string(plan_->profiles.size()) + ")");
    return 0;
  }
  std::vector<Dims64> shapes;
  if (!profileShapes(*plan_, profile, true, shapes)) return 0;
  const MemoryPlan m = planMemory(*plan_, shapes, streamingScratch());
  return m.ok ? static_cast<int64_t>(m.total) : 0;
}

int64_t Engine::deviceMemorySize() const {
  int64_t best = 0;
  for (size_t p = 0; p < plan_->profiles.size(); ++p)
    best = std::max(best, deviceMemorySizeForProfile(static_cast<int32_t>(p)));
  return best;
}

bool Engine::setWeightStreamingBudget(int64_t budget) {
  const char* m = "ICudaEngine::setWeightStreamingBudgetV2: ";
  if (plan_->streamableWeights == 0) {
    logger_.error(std::string(m) + "the engine was not built with weight streaming (no streamable weights)");
    return false;
  }
  if (budget < 0) {
    logger_.error(std::string(m) + "budget " + std::to_string(budget) +
                  " is negative; it must be a byte count in [0, " + std::to_string(plan_->streamableWeights) +
                  "] (values above getStreamableWeightsSize() turn streaming off)");
    return false;
  }
  if (liveContexts_.load() > 0) {
    logger_.error(std::string(m) + "the budget cannot change while execution contexts exist (" +
                  std::to_string(liveContexts_.load()) + " alive)");
    return false;
  }
  // TensorRT: a budget >= getStreamableWeightsSize() disables streaming, and
  // getWeightStreamingBudgetV2() then answers getStreamableWeightsSize().
  budget_ = std::min(budget, plan_->streamableWeights);
  return true;
}

int64_t Engine::weightStreamingAutomaticBudget() const {
  // Emulator rule: half of the streamable bytes, 256-byte aligned down.
  return static_cast<int64_t>(static_cast<uint64_t>(plan_->streamableWeights / 2) / 256 * 256);
}

bool Engine::layerWeights(int layer, const float*& weights, const float*& bias, std::string& error) {
  const LayerDesc& l = plan_->layers[layer];
  Backend& b = activeBackend();
  std::lock_guard<std::mutex> lock(weightsMutex_);
  if (!weightsUploaded_) {
    // Slots already uploaded by an earlier, failed attempt are kept and reused.
    deviceWeights_.resize(plan_->layers.size(), nullptr);
    deviceBias_.resize(plan_->layers.size(), nullptr);
    for (size_t i = 0; i < plan_->layers.size(); ++i) {
      const LayerDesc& li = plan_->layers[i];
      if (li.kind != LayerKind::kMatMul) continue;
      if (!deviceWeights_[i]) deviceWeights_[i] = b.constant(li.weights.data(), li.weights.size() * 4, error);
      if (!deviceWeights_[i]) return false;
      if (!li.bias.empty() && !deviceBias_[i]) deviceBias_[i] = b.constant(li.bias.data(), li.bias.size() * 4, error);
      if (!li.bias.empty() && !deviceBias_[i]) return false;
    }
    weightsUploaded_ = true;
  }
  weights = static_cast<const float*>(deviceWeights_[layer]);
  bias = l.bias.empty() ? nullptr : static_cast<const float*>(deviceBias_[layer]);
  return true;
}

}  // namespace emu
