// A loaded libnvinfer: its version, the ABI table for its major, our logger
// for it, and whether it is the project's emulator. One record per library
// file for the whole process, never unloaded (see dl_search.h).
#pragma once

#include <cstdint>
#include <type_traits>
#include <string>
#include <vector>

#include "abi_table.h"
#include "caller_vtables.h"
#include "errors.h"
#include "logger.h"

namespace trtn {

struct Library {
  // The entry points are looked up before the major is known; they are the
  // same in every supported major (checked below), so V10's spelling serves.
  using Entry = trt_abi::V10::EntryPoints;
  using CreateInferRuntimeFn = Entry::createInferRuntime_INTERNAL::Fn;
  using GetInferLibVersionFn = Entry::getInferLibVersion::Fn;
  using GetPluginRegistryFn = Entry::getPluginRegistry::Fn;

  std::string path;
  void* handle = nullptr;
  int32_t version = 0;  // getInferLibVersion(): major*10000 + minor*100 + patch
  const AbiTable* abi = nullptr;
  const CallerVtables* vtables = nullptr;
  CreateInferRuntimeFn createInferRuntime = nullptr;
  // The process's global plugin registry, apart from each runtime's own
  // (plugins.h); null where the library does not export it.
  GetPluginRegistryFn getPluginRegistry = nullptr;
  Logger* logger = nullptr;

  // Set when the library exports trtEmulatorInfo (the project's emulator).
  bool emulator = false;
  std::string emulatorInfoJson;
  std::string emulatorVersion;
  std::string emulatorMode;  // "host" | "cuda"

  // Host mode: tensors and "device" memory are host pointers; no CUDA at all.
  bool UsesHostMemory() const { return emulator && emulatorMode == "host"; }
  int major() const { return version / 10000; }
};

// Loads (or finds already loaded) libnvinfer by the search in dl_search.h:
// option `nvinferPath`, else $TRT_NVINFER_PATH, else libnvinfer.so.11 then
// libnvinfer.so.10 through the system loader. Throws a Failure with code
// TRT_RUNTIME_UNAVAILABLE, a `reason` and the `tried` list when it cannot.
Library* OpenNvInfer(const std::string& explicitPath);

// The Failure every "cannot load" path throws (also used for libcudart).
Failure UnavailableFailure(const std::string& reason, const std::string& message, const std::vector<std::string>& tried,
                           const std::string& fix);

}  // namespace trtn

static_assert(std::is_same_v<trt_abi::V10::EntryPoints::createInferRuntime_INTERNAL::Fn,
                             trt_abi::V11::EntryPoints::createInferRuntime_INTERNAL::Fn>,
              "createInferRuntime_INTERNAL changed between majors");
static_assert(std::is_same_v<trt_abi::V10::EntryPoints::getInferLibVersion::Fn,
                             trt_abi::V11::EntryPoints::getInferLibVersion::Fn>,
              "getInferLibVersion changed between majors");
static_assert(std::is_same_v<trt_abi::V10::EntryPoints::getPluginRegistry::Fn,
                             trt_abi::V11::EntryPoints::getPluginRegistry::Fn>,
              "getPluginRegistry changed between majors");
