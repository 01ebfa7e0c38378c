// The emulator's libnvinfer_plugin.so.N: a stand-in for TensorRT's plugin
// library, found beside the emulator's libnvinfer.so.N. Like TensorRT's, it
// exports initLibNvInferPlugins(logger, namespace), which registers its
// creators in libnvinfer's registry (getPluginRegistry()). The creators carry
// names of TensorRT's own plugins, so emulator plans can ask for what real
// engines ask for; the emulator runs such a layer as a copy, not as NMS.
//
// TensorRT's plugin library links libnvinfer by soname. This one opens the
// libnvinfer.so.N in its own folder instead: a test process may hold two
// copies of the emulator with the same soname, and the registry must be that
// of the library beside it.
#include <dlfcn.h>

#include <mutex>
#include <set>
#include <string>

#include "creators.h"

#if TRT_EMU_MAJOR == 10
using Abi = trt_abi::V10;
#elif TRT_EMU_MAJOR == 11
using Abi = trt_abi::V11;
#else
#error "TRT_EMU_MAJOR must be 10 or 11"
#endif

namespace {

// getPluginRegistry() of the libnvinfer.so.N beside this library (null, with `error`, when it is not there).
void* siblingRegistry(std::string& error) {
  Dl_info self{};
  if (dladdr(reinterpret_cast<void*>(&siblingRegistry), &self) == 0 || self.dli_fname == nullptr) {
    error = "cannot tell where the plugin library was loaded from";
    return nullptr;
  }
  std::string path = self.dli_fname;
  const size_t slash = path.rfind('/');
  path = (slash == std::string::npos ? std::string(".") : path.substr(0, slash)) + "/libnvinfer.so." + std::to_string(Abi::kMajor);
  void* lib = dlopen(path.c_str(), RTLD_LAZY | RTLD_LOCAL);  // the copy already loaded, when it is
  if (lib == nullptr) {
    const char* why = dlerror();
    error = why ? why : path + " does not open";
    return nullptr;
  }
  auto get = reinterpret_cast<Abi::EntryPoints::getPluginRegistry::Fn>(dlsym(lib, Abi::EntryPoints::getPluginRegistry::symbol));
  if (get == nullptr) {
    error = path + " has no getPluginRegistry";
    return nullptr;
  }
  return get();
}

using emu_plugins::Creator;

// TensorRT's names for its EfficientNMS plugins (plugin/efficientNMSPlugin), version "1", IPluginCreator kind.
Creator* makeCreators(const char* ns, int& count) {
  static const char* const kNames[] = {"EfficientNMS_TRT", "EfficientNMS_ONNX_TRT"};
  count = 2;
  auto* creators = new Creator[2];  // registered for the life of the process
  for (int i = 0; i < count; ++i) {
    creators[i] = Creator{emu_plugins::CreatorV1<Abi>::table(), kNames[i], "1", ns};
  }
  return creators;
}

}  // namespace

extern "C" __attribute__((visibility("default"))) bool initLibNvInferPlugins(void* logger, const char* libNamespace) {
  static std::mutex mutex;
  static std::set<std::string> done;  // namespaces already registered: a second call changes nothing
  const std::string ns = libNamespace ? libNamespace : "";
  std::lock_guard<std::mutex> lock(mutex);
  if (done.count(ns)) return true;
  std::string error;
  void* registry = siblingRegistry(error);
  if (!registry) {
    emu_plugins::logTo<Abi>(logger, 1 /* kERROR */, "emulator plugin library: " + error);
    return false;
  }
  void* const* vtable = *static_cast<void* const* const*>(registry);
  auto registerCreator =
      reinterpret_cast<Abi::IPluginRegistry::registerCreator::Fn>(vtable[Abi::IPluginRegistry::registerCreator::slot]);
  int count = 0;
  Creator* creators = makeCreators(ns.c_str(), count);
  bool ok = true;
  for (int i = 0; i < count; ++i) {
    if (registerCreator(registry, &creators[i], ns.c_str())) {
      emu_plugins::logTo<Abi>(logger, 4 /* kVERBOSE */,
                              std::string("emulator plugin library: registered ") + creators[i].name + " version " +
                                  creators[i].version + " in namespace '" + ns + "'");
    } else {
      ok = false;
    }
  }
  if (ok) done.insert(ns);
  return ok;
}

static_assert(std::is_same_v<decltype(&initLibNvInferPlugins), Abi::PluginEntryPoints::initLibNvInferPlugins::Fn>,
              "initLibNvInferPlugins has the ABI table's type");
