// Per-layer timing reports to the caller's IProfiler. With
// setEnqueueEmitsProfile(true) (the default) enqueueV3 reports as it finishes;
// otherwise the times of the last profiled enqueue wait for reportToProfiler().
// Times come from a steady clock in host mode and CUDA events in CUDA mode.
#include "caller_abi.h"
#include "context.h"

namespace emu {

bool Context::reportTimes(std::vector<float>& ms) {
  const Plan& p = engine_->plan();
  if (!profiler_) return false;
  for (size_t i = 0; i < p.layers.size() && i < ms.size(); ++i)
    callReportLayerTime(log().abi(), profiler_, p.layers[i].name.c_str(), ms[i]);
  return true;
}

bool Context::reportToProfiler() {
  const char* m = "IExecutionContext::reportToProfiler";
  if (!profiler_) {
    log().error(std::string(m) + ": no profiler is set (call setProfiler)");
    return false;
  }
  if (emitsProfile_) return true;  // documented: enqueue already reported, nothing to do
  if (!pendingTiming_) {
    log().warning(std::string(m) + ": no profiled enqueue since the last report");
    return false;
  }
  std::vector<float> ms;
  std::string error;
  const bool ok = pendingTiming_->read(ms, error);
  pendingTiming_.reset();
  if (!ok) {
    log().error(std::string(m) + ": could not read layer times: " + error);
    return false;
  }
  return reportTimes(ms);
}

}  // namespace emu
