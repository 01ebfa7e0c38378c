#include "execution_context.h"

#include <algorithm>
#include <cstring>

#include "errors.h"

namespace trtn {
namespace {

constexpr double kMaxSafeInteger = 9007199254740991.0;  // 2^53 - 1

// A double that is an integer in [0, 2^53): the only numbers we accept as
// dims and addresses. Written so NaN fails the first comparison.
inline bool IsIndex(double v) { return v >= 0 && v <= kMaxSafeInteger && static_cast<double>(static_cast<int64_t>(v)) == v; }

std::string Describe(double v) {
  if (v != v) return "NaN";
  std::string s = std::to_string(v);
  s.erase(s.find_last_not_of('0') + 1);
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

bool SameDims(const Dims64& a, const Dims64& b) {
  if (a.nbDims != b.nbDims) return false;
  for (int i = 0; i < a.nbDims; ++i) {
    if (a.d[i] != b.d[i]) return false;
  }
  return true;
}

}  // namespace

ExecutionContext::ExecutionContext(std::shared_ptr<EngineHandle> engine, void* context,
                                   std::shared_ptr<Dispatcher> dispatcher)
    : engine_(std::move(engine)),
      abi_(engine_->abi()),
      desc_(engine_->description),
      context_(context),
      dispatcher_(std::move(dispatcher)),
      shapes_(desc_.inputs.size()),
      addresses_(desc_.io.size(), nullptr),
      bound_(desc_.io.size(), 0),
      allocators_(desc_.io.size()) {
  InvalidateBindings();
}

ExecutionContext::~ExecutionContext() {
  abi_.Destroy(context_);
  // Bridges (and their JS references) go after the context that used them.
}

void ExecutionContext::InvalidateBindings() {
  for (auto& s : shapes_) s.nbDims = -1;
  std::fill(bound_.begin(), bound_.end(), 0);
}

void ExecutionContext::FailTensorRT(const char* method, uint64_t mark, const std::string& tensor) {
  std::string message = logger().ErrorSince(mark);
  throw TensorRTFailure(method, message, tensor);
}

void ExecutionContext::SetInputShapes(const double* packed, size_t length) {
  size_t pos = 0;
  for (size_t i = 0; i < desc_.inputs.size(); ++i) {
    const TensorDescription& t = desc_.io[desc_.inputs[i]];
    if (pos >= length) {
      throw InputFailure("count", "execute",
                         "rank and dims for each of the " + std::to_string(desc_.inputs.size()) + " inputs, in io order",
                         "inputShapes ends before input '" + t.name + "'", t.name);
    }
    const double rankValue = packed[pos++];
    if (!IsIndex(rankValue) || static_cast<int>(rankValue) != t.shape.nbDims) {
      throw InputFailure("rank", "execute", "rank " + std::to_string(t.shape.nbDims) + " for input '" + t.name + "' (the engine's)",
                         "rank " + Describe(rankValue), t.name);
    }
    const int rank = t.shape.nbDims;
    if (pos + rank > length) {
      throw InputFailure("count", "execute", std::to_string(rank) + " dims for input '" + t.name + "'",
                         "inputShapes ends inside them", t.name);
    }
    Dims64 dims{};
    dims.nbDims = rank;
    for (int k = 0; k < rank; ++k) {
      const double v = packed[pos + k];
      if (!IsIndex(v)) {
        throw InputFailure("shape", "execute", "dim " + std::to_string(k) + " of input '" + t.name + "': a non-negative integer",
                           Describe(v), t.name);
      }
      dims.d[k] = static_cast<int64_t>(v);
    }
    pos += rank;
    if (SameDims(shapes_[i], dims)) continue;
    const uint64_t mark = logger().Mark();
    shapes_[i].nbDims = -1;  // unknown until TensorRT accepts it
    if (!abi_.Call(abi_.context.setInputShape, context_, t.name.c_str(), &dims)) {
      FailTensorRT("IExecutionContext::setInputShape", mark, t.name);
    }
    shapes_[i] = dims;
  }
  if (pos != length) {
    throw InputFailure("count", "execute",
                       std::to_string(pos) + " values in inputShapes for " + std::to_string(desc_.inputs.size()) + " inputs",
                       std::to_string(length) + " values");
  }
}

void ExecutionContext::BindAddresses(const double* addresses, size_t length) {
  const size_t count = desc_.io.size();
  if (length != count) {
    std::string names;
    for (const auto& t : desc_.io) names += (names.empty() ? "" : ", ") + t.name;
    throw InputFailure("count", "execute",
                       std::to_string(count) + " addresses, one per I/O tensor in io order (" + names + ")",
                       std::to_string(length) + " entries");
  }
  for (size_t i = 0; i < count; ++i) {
    const double v = addresses[i];
    if (!IsIndex(v)) {
      throw InputFailure("device", "execute",
                         "addresses[" + std::to_string(i) + "] ('" + desc_.io[i].name + "'): a non-negative integer address",
                         Describe(v), desc_.io[i].name);
    }
    void* p = reinterpret_cast<void*>(static_cast<uintptr_t>(v));
    if (p == nullptr && !desc_.io[i].isInput) {
      // 0 means "the output allocator serves this output"; TensorRT keeps
      // whichever allocator is set, so nothing to bind.
      if (allocators_[i]) continue;
      throw InputFailure("device", "execute",
                         "memory for output '" + desc_.io[i].name + "' (an address), or an output allocator (setOutputAllocator)",
                         "address 0 and no output allocator", desc_.io[i].name);
    }
    if (bound_[i] && addresses_[i] == p) continue;
    const uint64_t mark = logger().Mark();
    bound_[i] = 0;
    if (!abi_.Call(abi_.context.setTensorAddress, context_, desc_.io[i].name.c_str(), p)) {
      FailTensorRT("IExecutionContext::setTensorAddress", mark, desc_.io[i].name);
    }
    addresses_[i] = p;
    bound_[i] = 1;
  }
}

void ExecutionContext::Enqueue(void* stream) {
  const uint64_t mark = logger().Mark();
  bool ok;
  {
    HookCall call(*this);
    ok = abi_.Call(abi_.context.enqueueV3, context_, stream);
  }
  hookErrors_.RethrowIfAny();
  if (!ok) FailTensorRT("IExecutionContext::enqueueV3", mark);
}

std::vector<Dims64> ExecutionContext::OutputShapes() {
  std::vector<Dims64> out;
  out.reserve(desc_.outputs.size());
  for (int index : desc_.outputs) {
    out.push_back(abi_.Call(abi_.context.getTensorShape, context_, desc_.io[index].name.c_str()));
  }
  return out;
}

void ExecutionContext::SetOptimizationProfile(int32_t index, void* stream) {
  const uint64_t mark = logger().Mark();
  if (!abi_.Call(abi_.context.setOptimizationProfileAsync, context_, index, stream)) {
    FailTensorRT("IExecutionContext::setOptimizationProfileAsync", mark);
  }
  // A new profile means new binding slots inside TensorRT: set everything again.
  InvalidateBindings();
}

int32_t ExecutionContext::OptimizationProfile() { return abi_.Call(abi_.context.getOptimizationProfile, context_); }

void ExecutionContext::SetDeviceMemory(void* address, int64_t bytes) {
  if (abi_.context.setDeviceMemoryV2.available()) {
    abi_.Call(abi_.context.setDeviceMemoryV2, context_, address, bytes);
  } else {
    abi_.Call(abi_.context.setDeviceMemory, context_, address);
  }
}

int64_t ExecutionContext::DeviceMemoryBytesForShapes() {
  return static_cast<int64_t>(abi_.Call(abi_.context.updateDeviceMemorySizeForShapes, context_));
}

void ExecutionContext::SetOutputAllocator(int ioIndex, Napi::Object hooks) {
  const TensorDescription& t = desc_.io[ioIndex];
  std::unique_ptr<OutputAllocatorBridge> bridge;
  if (!hooks.IsEmpty()) {
    bridge = std::make_unique<OutputAllocatorBridge>(hooks, engine_->runtime->library->vtables->outputAllocator,
                                                     &hookErrors_, dispatcher_, &logger());
  }
  const uint64_t mark = logger().Mark();
  if (!abi_.Call(abi_.context.setOutputAllocator, context_, t.name.c_str(), bridge ? bridge->TrtObject() : nullptr)) {
    FailTensorRT("IExecutionContext::setOutputAllocator", mark, t.name);
  }
  if (hookDepth_ > 0 && allocators_[ioIndex]) retiredAllocators_.push_back(std::move(allocators_[ioIndex]));
  allocators_[ioIndex] = std::move(bridge);
  bound_[ioIndex] = 0;
}

void ExecutionContext::SetProfiler(Napi::Function hook, bool emitPerEnqueue) {
  std::unique_ptr<ProfilerBridge> bridge;
  if (!hook.IsEmpty()) {
    bridge = std::make_unique<ProfilerBridge>(hook, engine_->runtime->library->vtables->profiler, &hookErrors_,
                                              dispatcher_);
  }
  abi_.Call(abi_.context.setProfiler, context_, bridge ? bridge->TrtObject() : nullptr);
  if (bridge) abi_.Call(abi_.context.setEnqueueEmitsProfile, context_, emitPerEnqueue);
  if (hookDepth_ > 0 && profiler_) retiredProfilers_.push_back(std::move(profiler_));
  profiler_ = std::move(bridge);
}

void ExecutionContext::ReportToProfiler() {
  const uint64_t mark = logger().Mark();
  bool ok;
  {
    HookCall call(*this);
    ok = abi_.Call(abi_.context.reportToProfiler, context_);
  }
  hookErrors_.RethrowIfAny();
  if (!ok) FailTensorRT("IExecutionContext::reportToProfiler", mark);
}

}  // namespace trtn
