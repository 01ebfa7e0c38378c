#include "context.h"

#include <cstdint>

#include "dims.h"
#include "mode.h"
#include "shapes.h"

namespace emu {

Context::Context(std::shared_ptr<Engine> engine, AllocStrategy strategy, void* engineWrapper)
    : engine_(std::move(engine)),
      strategy_(strategy),
      engineWrapper_(engineWrapper),
      backend_(activeBackend()),
      runtimeCache_(cacheForNewContexts()) {
  const Plan& p = engine_->plan();
  for (int t : p.inputs) {
    // Static inputs count as specified from the start, as in TensorRT.
    const Dims64& d = p.tensors[t].dims;
    inputShapes_.push_back(fullySpecified(d) ? d : invalidDims());
  }
  addresses_.assign(p.tensors.size(), nullptr);
  allocators_.assign(p.tensors.size(), nullptr);
  allocated_.assign(p.tensors.size(), nullptr);
  engine_->contextCreated();
}

Context::~Context() {
  pendingTiming_.reset();
  releaseOwned();
  engine_->contextDestroyed();
}

bool Context::setOptimizationProfile(int32_t index, void* /*stream*/) {
  const int32_t n = static_cast<int32_t>(engine_->plan().profiles.size());
  if (index < 0 || index >= n) {
    log().error("IExecutionContext::setOptimizationProfileAsync: profile " + std::to_string(index) +
                " is outside [0, " + std::to_string(n) + ")");
    return false;
  }
  if (index == profile_) return true;
  profile_ = index;
  // Dynamic input shapes belong to the old profile: they must be set again.
  const Plan& p = engine_->plan();
  for (size_t o = 0; o < p.inputs.size(); ++o)
    if (!fullySpecified(p.tensors[p.inputs[o]].dims)) inputShapes_[o] = invalidDims();
  shapesDirty_ = true;
  if (strategy_ == AllocStrategy::kON_PROFILE_CHANGE) {
    const int64_t need = engine_->deviceMemorySizeForProfile(profile_);
    return ensureMemory(static_cast<uint64_t>(need), "IExecutionContext::setOptimizationProfileAsync");
  }
  return true;
}

bool Context::setInputShape(const char* name, const Dims64* dims) {
  const char* m = "IExecutionContext::setInputShape";
  const Plan& p = engine_->plan();
  const int t = engine_->ioTensor(m, name);
  if (t < 0) return false;
  const TensorDesc& td = p.tensors[t];
  if (td.role != TensorRole::kInput) {
    log().error(std::string(m) + ": '" + td.name + "' is an output, not an input");
    return false;
  }
  if (!dims || dims->nbDims != td.dims.nbDims) {
    log().error(std::string(m) + ": input '" + td.name + "' has rank " + std::to_string(td.dims.nbDims) + ", got " +
                (dims ? std::to_string(dims->nbDims) : std::string("no dims")));
    return false;
  }
  for (int i = 0; i < dims->nbDims; ++i) {
    if (dims->d[i] < 0) {
      log().error(std::string(m) + ": input '" + td.name + "' shape " + dimsToString(*dims) +
                  " has a negative dimension");
      return false;
    }
    if (td.dims.d[i] >= 0 && dims->d[i] != td.dims.d[i]) {
      log().error(std::string(m) + ": input '" + td.name + "' dimension " + std::to_string(i) + " is static (" +
                  std::to_string(td.dims.d[i]) + "), got " + std::to_string(dims->d[i]));
      return false;
    }
  }
  std::string why;
  if (!shapeInProfile(p, profile_, td.inputOrdinal, *dims, why)) {
    log().error(std::string(m) + ": input '" + td.name + "' shape " + dimsToString(*dims) + ": " + why);
    return false;
  }
  inputShapes_[td.inputOrdinal] = *dims;
  shapesDirty_ = true;
  return true;
}

const char* Context::firstUnsetInput() const {
  const Plan& p = engine_->plan();
  for (size_t o = 0; o < p.inputs.size(); ++o)
    if (inputShapes_[o].nbDims < 0) return p.tensors[p.inputs[o]].name.c_str();
  return nullptr;
}

bool Context::allInputDimensionsSpecified() const { return firstUnsetInput() == nullptr; }

bool Context::currentShapes(std::string& error) {
  if (const char* unset = firstUnsetInput()) {
    error = "the shape of input '" + std::string(unset) + "' is not set (call setInputShape)";
    return false;
  }
  if (shapesDirty_) {
    const Plan& p = engine_->plan();
    shapes_.assign(p.tensors.size(), invalidDims());
    for (size_t o = 0; o < p.inputs.size(); ++o) shapes_[p.inputs[o]] = inputShapes_[o];
    shapesError_.clear();
    if (!emu::inferShapes(p, shapes_, ShapeMode::kConcrete, shapesError_))
      shapesError_ = "shape inference failed: " + shapesError_;
    shapesDirty_ = false;
  }
  error = shapesError_;
  return shapesError_.empty();
}

Dims64 Context::tensorShape(const char* name) {
  const int t = engine_->ioTensor("IExecutionContext::getTensorShape", name);
  if (t < 0) return invalidDims();
  const TensorDesc& td = engine_->plan().tensors[t];
  if (td.role == TensorRole::kInput) {
    const Dims64& s = inputShapes_[td.inputOrdinal];
    return s.nbDims < 0 ? td.dims : s;
  }
  // Outputs: known once every input shape is; data-dependent dims stay -1.
  std::string error;
  if (!allInputDimensionsSpecified()) return td.dims;
  if (!currentShapes(error)) {
    log().error("IExecutionContext::getTensorShape: " + error);
    return invalidDims();
  }
  return shapes_[t];
}

Dims64 Context::tensorStrides(const char* name) {
  const int t = engine_->plan().findIO(name);
  if (t < 0) {
    engine_->ioTensor("IExecutionContext::getTensorStrides", name);
    return invalidDims();
  }
  return rowMajorStrides(tensorShape(name));
}

int32_t Context::inferShapes(int32_t nbMaxNames, const char** names) {
  const Plan& p = engine_->plan();
  int32_t missing = 0;
  for (size_t o = 0; o < p.inputs.size(); ++o) {
    if (inputShapes_[o].nbDims >= 0) continue;
    if (names && missing < nbMaxNames) names[missing] = p.tensors[p.inputs[o]].name.c_str();
    ++missing;
  }
  if (missing > 0) return missing;
  std::string error;
  if (!currentShapes(error)) {
    log().error("IExecutionContext::inferShapes: " + error);
    return -1;
  }
  return 0;
}

bool Context::setTensorAddress(const char* name, void* data) {
  const char* m = "IExecutionContext::setTensorAddress";
  const int t = engine_->ioTensor(m, name);
  if (t < 0) return false;
  const TensorDesc& td = engine_->plan().tensors[t];
  const int align = dtypeSize(td.dtype);
  if (reinterpret_cast<uintptr_t>(data) % align != 0) {
    log().error(std::string(m) + ": address for '" + td.name + "' is not aligned to its element size (" +
                std::to_string(align) + " bytes)");
    return false;
  }
  addresses_[t] = data;
  return true;
}

void* Context::tensorAddress(const char* name) const {
  const int t = engine_->ioTensor("IExecutionContext::getTensorAddress", name);
  return t < 0 ? nullptr : addresses_[t];
}

bool Context::setOutputAllocator(const char* name, void* allocator) {
  const char* m = "IExecutionContext::setOutputAllocator";
  const int t = engine_->ioTensor(m, name);
  if (t < 0) return false;
  if (engine_->plan().tensors[t].role != TensorRole::kOutput) {
    log().error(std::string(m) + ": '" + engine_->plan().tensors[t].name + "' is an input; allocators serve outputs");
    return false;
  }
  allocators_[t] = allocator;
  return true;
}

void* Context::outputAllocator(const char* name) const {
  const int t = engine_->ioTensor("IExecutionContext::getOutputAllocator", name);
  return t < 0 ? nullptr : allocators_[t];
}

int64_t Context::maxOutputSize(const char* name) {
  const char* m = "IExecutionContext::getMaxOutputSize";
  const int t = engine_->ioTensor(m, name);
  if (t < 0) return -1;
  const Plan& p = engine_->plan();
  const TensorDesc& td = p.tensors[t];
  if (td.role != TensorRole::kOutput) {
    log().error(std::string(m) + ": '" + td.name + "' is not an output");
    return -1;
  }
  std::string error;
  if (!currentShapes(error)) return -1;  // documented: -1 until the input shapes are known
  if (!td.dataDependent) return byteSize(shapes_[t], dtypeSize(td.dtype));
  // NonZero: at most every element of its input is non-zero.
  for (const LayerDesc& l : p.layers) {
    if (l.output != t) continue;
    const Dims64& in = shapes_[l.inputs[0]];
    return volume(in) * in.nbDims * 8;
  }
  return -1;
}

}  // namespace emu
