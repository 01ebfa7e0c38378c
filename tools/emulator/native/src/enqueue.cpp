// IExecutionContext::enqueueV3: check that everything the plan needs is in
// place (shapes, addresses or allocators, device memory), place intermediate
// tensors in the context's device memory, then run the layers in plan order
// on the active backend.
#include <algorithm>

#include "caller_abi.h"
#include "context.h"
#include "dims.h"

namespace emu {

namespace {

constexpr const char* kEnqueue = "IExecutionContext::enqueueV3";
constexpr uint64_t kOutputAlignment = 256;

// Written over the plan's extra scratch on every enqueue: it makes the
// emulator touch all the memory it claims to need.
constexpr uint8_t kScratchPattern = 0xA5;
constexpr uint8_t kStreamingPattern = 0x5A;

}  // namespace

bool Context::enqueue(void* stream) {
  const Plan& p = engine_->plan();
  std::string error;
  auto fail = [&](const std::string& why) {
    log().error(std::string(kEnqueue) + ": " + why);
    return false;
  };
  if (!currentShapes(error)) return fail(error);

  // Bindings.
  for (int t : p.io) {
    const TensorDesc& td = p.tensors[t];
    const int64_t bytes = byteSize(shapes_[t], dtypeSize(td.dtype));
    if (td.role == TensorRole::kInput) {
      if (!addresses_[t] && bytes != 0)
        return fail("input '" + td.name + "' has no address (call setTensorAddress)");
      continue;
    }
    const int alias = p.aliasOf[t];
    if (alias >= 0) {
      if (allocators_[t]) return fail("output '" + td.name + "' aliases input '" + p.tensors[alias].name +
                                      "' and cannot use an output allocator");
      if (addresses_[t] && addresses_[t] != addresses_[alias])
        return fail("output '" + td.name + "' aliases input '" + p.tensors[alias].name +
                    "' (getAliasedInputTensor): bind it to the input's address or leave it unset");
      continue;
    }
    if (td.dataDependent && !allocators_[t])
      return fail("output '" + td.name + "' has a data-dependent shape and needs an output allocator "
                  "(setOutputAllocator)");
    if (!allocators_[t] && !addresses_[t] && bytes != 0)
      return fail("output '" + td.name + "' has no address (call setTensorAddress or setOutputAllocator)");
  }

  // Device memory.
  const MemoryPlan mem = planMemory(p, shapes_, engine_->streamingScratch());
  if (!mem.ok) return fail("tensor sizes for the current shapes are too large");
  if (!ensureMemory(mem.total, kEnqueue)) return false;
  auto* base = static_cast<uint8_t*>(memory_);

  // Where every tensor lives for this run.
  std::vector<void*> ptr(p.tensors.size(), nullptr);
  for (size_t t = 0; t < p.tensors.size(); ++t) {
    const TensorDesc& td = p.tensors[t];
    if (td.role == TensorRole::kIntermediate) ptr[t] = base + mem.tensorOffset[t];
    else ptr[t] = addresses_[t];
  }
  for (size_t t = 0; t < p.tensors.size(); ++t)
    if (p.aliasOf[t] >= 0) ptr[t] = ptr[p.aliasOf[t]];
  for (int t : p.io) {
    const TensorDesc& td = p.tensors[t];
    if (td.role != TensorRole::kOutput || td.dataDependent || !allocators_[t]) continue;
    const uint64_t bytes = static_cast<uint64_t>(byteSize(shapes_[t], dtypeSize(td.dtype)));
    void* current = allocated_[t] ? allocated_[t] : addresses_[t];
    // TensorRT asks for a positive size even for an empty tensor.
    void* got = callReallocateOutputAsync(log().abi(), allocators_[t], td.name.c_str(), current,
                                          std::max<uint64_t>(bytes, 1), kOutputAlignment, stream);
    if (!got) return fail("the output allocator of '" + td.name + "' returned null for " + std::to_string(bytes) +
                          " bytes");
    allocated_[t] = got;
    ptr[t] = got;
  }

  if (mem.scratchBytes && !backend_.fill(base + mem.scratchOffset, kScratchPattern, mem.scratchBytes, stream, error))
    return fail("could not use the engine's scratch memory: " + error);
  if (mem.streamingBytes &&
      !backend_.fill(base + mem.streamingOffset, kStreamingPattern, mem.streamingBytes, stream, error))
    return fail("could not use the weight-streaming scratch memory: " + error);

  auto arg = [&](int t) {
    TensorArg a;
    a.data = ptr[t];
    a.dtype = p.tensors[t].dtype;
    a.dims = shapes_[t];
    a.count = volume(shapes_[t]);
    return a;
  };

  std::unique_ptr<Timing> timing;
  if (profiler_) {
    timing = backend_.makeTiming(static_cast<int>(p.layers.size()), error);
    if (!timing) return fail("could not set up layer timing: " + error);
  }

  for (size_t i = 0; i < p.layers.size(); ++i) {
    const LayerDesc& l = p.layers[i];
    if (timing && !timing->mark(static_cast<int>(i), stream, error)) return fail(error);
    const TensorArg out = arg(l.output);
    const TensorArg in0 = arg(l.inputs[0]);
    bool ok = true;
    switch (l.kind) {
      case LayerKind::kIdentity:
      case LayerKind::kPlugin:  // the emulator runs a plugin layer as a copy (README, "Plugins")
        ok = backend_.copy(out.data, in0.data, out.count * dtypeSize(out.dtype), stream, error);
        break;
      case LayerKind::kBusyWait:
        ok = backend_.busyWait(l.micros, stream, error) &&
             backend_.copy(out.data, in0.data, out.count * dtypeSize(out.dtype), stream, error);
        break;
      case LayerKind::kAdd:
        ok = backend_.add(in0, arg(l.inputs[1]), out, stream, error);
        break;
      case LayerKind::kMul:
        ok = backend_.mul(in0, arg(l.inputs[1]), out, stream, error);
        break;
      case LayerKind::kRelu:
        ok = backend_.relu(in0, out, stream, error);
        break;
      case LayerKind::kCast:
        ok = backend_.cast(in0, out, stream, error);
        break;
      case LayerKind::kMatMul: {
        const float* w = nullptr;
        const float* b = nullptr;
        ok = engine_->layerWeights(static_cast<int>(i), w, b, error) &&
             backend_.matmul(in0, w, b, l.k, l.n, out, backendState_, stream, error);
        break;
      }
      case LayerKind::kConcat: {
        std::vector<TensorArg> ins;
        for (int t : l.inputs) ins.push_back(arg(t));
        ok = backend_.concat(ins, l.axis, out, stream, error);
        break;
      }
      case LayerKind::kNonZero: {
        int64_t count = 0;
        ok = backend_.nonzeroCount(in0, base + mem.countsOffset + 8 * i, count, stream, error);
        if (!ok) break;
        const TensorDesc& td = p.tensors[l.output];
        const uint64_t bytes = static_cast<uint64_t>(count) * in0.dims.nbDims * (td.dtype == DType::kINT32 ? 4 : 8);
        void* current = allocated_[l.output] ? allocated_[l.output] : addresses_[l.output];
        void* got = callReallocateOutputAsync(log().abi(), allocators_[l.output], td.name.c_str(), current,
                                              std::max<uint64_t>(bytes, 1), kOutputAlignment, stream);
        if (!got) return fail("the output allocator of '" + td.name + "' returned null for " +
                              std::to_string(bytes) + " bytes");
        allocated_[l.output] = got;
        ok = backend_.nonzeroWrite(in0, count, td.dtype, got, stream, error);
        Dims64 real = makeDims(2);
        real.d[0] = in0.dims.nbDims;
        real.d[1] = count;
        if (ok) callNotifyShape(log().abi(), allocators_[l.output], td.name.c_str(), real);
        break;
      }
    }
    if (!ok) return fail("layer '" + l.name + "' (" + layerKindName(l.kind) + ") failed: " + error);
  }
  if (timing && !timing->mark(static_cast<int>(p.layers.size()), stream, error)) return fail(error);

  // Allocator-backed outputs of known shape hear their shape after the run.
  for (int t : p.io) {
    const TensorDesc& td = p.tensors[t];
    if (td.role == TensorRole::kOutput && !td.dataDependent && allocators_[t] && p.aliasOf[t] < 0)
      callNotifyShape(log().abi(), allocators_[t], td.name.c_str(), shapes_[t]);
  }

  // The shapes ran: a shape-specializing TensorRT would now hold their kernels.
  if (runtimeCache_) runtimeCache_->record(kernelKey());

  if (timing) {
    if (emitsProfile_) {
      std::vector<float> ms;
      if (!timing->read(ms, error)) return fail("could not read layer times: " + error);
      reportTimes(ms);
    } else {
      pendingTiming_ = std::move(timing);  // reportToProfiler() reports it
    }
  }
  return true;
}

std::string Context::kernelKey() const {
  const Plan& p = engine_->plan();
  std::string key = p.name + "|profile " + std::to_string(profile_);
  for (size_t o = 0; o < p.inputs.size(); ++o) key += "|" + p.tensors[p.inputs[o]].name + dimsToString(inputShapes_[o]);
  return key;
}

}  // namespace emu
