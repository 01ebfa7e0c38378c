// The C entry points libnvinfer exports, plus trtEmulatorInfo, the symbol that
// says "this is the emulator". Only this file depends on TRT_EMU_MAJOR: it
// picks the ABI table the library presents (Abi) for the vtables it hands out.
// The vtable templates get instantiated for that major only; building both
// libraries (the default) type-checks every thunk against both tables.
#include <string>
#include <type_traits>

#include "abi.h"
#include "caller_abi.h"
#include "json.h"
#include "matmul_path.h"
#include "mode.h"
#include "objects.h"
#include "runtime.h"
#include "version.h"
#include "plugin_registry.h"
#include "vt_plugin.h"
#include "vt_runtime.h"

namespace emu {

namespace {

std::string libVersionString() {
  return std::to_string(kLibVersion.major) + "." + std::to_string(kLibVersion.minor) + "." +
         std::to_string(kLibVersion.patch);
}

std::string infoJson() {
  const ModeInfo& m = executionMode();
  std::string s = std::string("{\"emulator\":true,\"version\":\"") + kEmulatorVersion +
                  "\",\"major\":" + std::to_string(kLibVersion.major) +
                  ",\"minor\":" + std::to_string(kLibVersion.minor) +
                  ",\"patch\":" + std::to_string(kLibVersion.patch) + ",\"mode\":\"" +
                  (m.ok ? modeName(m.mode) : "error") + "\",\"cuda\":" + (m.cudaBuilt ? "true" : "false") +
                  ",\"runtimeCache\":true" +  // the trtEmulatorRuntimeCache* functions (runtime_cache.h)
                  ",\"matmul\":\"" + matmulPathName(matmulPath()) + "\"";  // trtEmulatorMatmulBackend()
  if (!m.ok) s += ",\"error\":" + jsonString(m.error);
  else if (!matmulPath().ok) s += ",\"error\":" + jsonString(matmulPath().error);
  return s + "}";
}

}  // namespace
}  // namespace emu

using namespace emu;

EMU_EXPORT void* createInferRuntime_INTERNAL(void* logger, int32_t version) {
  try {
    const int32_t callerMajor = trt_abi::majorOfVersion(version);
    if (callerMajor != Abi::kMajor) {
      // Speak the caller's logger layout when we know it, so the message arrives.
      CallerAbi theirs;
      const Logger l = callerAbiForMajor(callerMajor, theirs) ? Logger(logger, theirs) : Logger();
      l.error("createInferRuntime: the caller was built for TensorRT API version " + std::to_string(version) +
              " (major " + std::to_string(callerMajor) + ") but this library is TensorRT " + libVersionString() +
              " (emulator); load " + "libnvinfer.so." + std::to_string(callerMajor) + " instead");
      return nullptr;
    }
    const Logger l(logger, callerAbiOf<Abi>());
    const ModeInfo& mode = executionMode();
    if (!mode.ok) {
      l.error("createInferRuntime: " + mode.error);
      return nullptr;
    }
    const MatmulPathInfo& matmul = matmulPath();
    if (!matmul.ok) {
      l.error("createInferRuntime: " + matmul.error);
      return nullptr;
    }
    reportMatmulPath(l);
    pluginRegistry().adoptLogger(l);  // the process's logger, as TensorRT keeps the first one
    l.verbose(std::string("TensorRT emulator ") + kEmulatorVersion + " presenting TensorRT " + libVersionString() +
              ", " + modeName(mode.mode) + " mode (" + mode.reason + ")");
    return makeObject<Runtime>(std::make_shared<Runtime>(l, kLibVersion.major, libVersionString(), PluginRegistryVtable<Abi>::table()), ObjectKind::kRuntime, RuntimeVtable<Abi>::table(), l);
  } catch (...) {
    logToStderr(Severity::kINTERNAL_ERROR, "createInferRuntime: out of memory");
    return nullptr;
  }
}

EMU_EXPORT void* createInferRefitter_INTERNAL(void* /*engine*/, void* logger, int32_t version) {
  CallerAbi abi;
  const Logger l = callerAbiForMajor(trt_abi::majorOfVersion(version), abi) ? Logger(logger, abi) : Logger();
  l.error("not emulated: createInferRefitter (the TensorRT emulator has no refitter)");
  return nullptr;
}

EMU_EXPORT void* getLogger() { return nullptr; }
// The process's global plugin registry (vt_plugin.h); each runtime's IRuntime::getPluginRegistry is another.
EMU_EXPORT void* getPluginRegistry() { return PluginRegistryVtable<Abi>::globalObject(); }

EMU_EXPORT int32_t getInferLibVersion() { return kLibVersion.encoded(); }
EMU_EXPORT int32_t getInferLibMajorVersion() { return kLibVersion.major; }
EMU_EXPORT int32_t getInferLibMinorVersion() { return kLibVersion.minor; }
EMU_EXPORT int32_t getInferLibPatchVersion() { return kLibVersion.patch; }
EMU_EXPORT int32_t getInferLibBuildVersion() { return kLibVersion.build; }

// {"emulator":true,"version":"0.1.0","major":10,"minor":16,"patch":0,"mode":"host","cuda":false,"runtimeCache":true,"matmul":"host"}
EMU_EXPORT const char* trtEmulatorInfo() {
  static const std::string info = infoJson();
  return info.c_str();
}

// Which code runs matmul layers: "cublas" or "kernel" (CUDA mode), "host",
// or "error" when TRT_EMULATOR_MODE / TRT_EMU_MATMUL ask for the impossible
// (src/matmul_path.h). For benchmarks to say what they measured.
EMU_EXPORT const char* trtEmulatorMatmulBackend() { return matmulPathName(matmulPath()); }

// The exported functions must have exactly the types the ABI table gives the
// entry points the runtime looks up.
static_assert(std::is_same_v<decltype(&createInferRuntime_INTERNAL), Abi::EntryPoints::createInferRuntime_INTERNAL::Fn>);
static_assert(std::is_same_v<decltype(&getInferLibVersion), Abi::EntryPoints::getInferLibVersion::Fn>);
static_assert(std::is_same_v<decltype(&getInferLibMajorVersion), Abi::EntryPoints::getInferLibMajorVersion::Fn>);
static_assert(std::is_same_v<decltype(&getInferLibMinorVersion), Abi::EntryPoints::getInferLibMinorVersion::Fn>);
static_assert(std::is_same_v<decltype(&getInferLibPatchVersion), Abi::EntryPoints::getInferLibPatchVersion::Fn>);
static_assert(std::is_same_v<decltype(&getPluginRegistry), Abi::EntryPoints::getPluginRegistry::Fn>);
