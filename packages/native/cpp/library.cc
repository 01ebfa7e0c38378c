#include "library.h"

#include <mutex>
#include <vector>

#include "dl_search.h"
#include "errors.h"

namespace trtn {
namespace {

// Reads one scalar field of the emulator's small, flat JSON object without a
// JSON library: "mode":"host" -> host, "version":"1.2" or 3 -> as text.
std::string JsonField(const std::string& json, const std::string& key) {
  const std::string quoted = "\"" + key + "\"";
  size_t at = json.find(quoted);
  if (at == std::string::npos) return "";
  at = json.find(':', at + quoted.size());
  if (at == std::string::npos) return "";
  ++at;
  while (at < json.size() && (json[at] == ' ' || json[at] == '\t' || json[at] == '\n' || json[at] == '\r')) ++at;
  if (at >= json.size()) return "";
  if (json[at] == '"') {
    size_t end = json.find('"', at + 1);
    return end == std::string::npos ? "" : json.substr(at + 1, end - at - 1);
  }
  size_t end = json.find_first_of(",}", at);
  std::string raw = json.substr(at, end == std::string::npos ? std::string::npos : end - at);
  while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\n')) raw.pop_back();
  return raw;
}

const char* kFixLibrary =
    "Install TensorRT 10 or 11 so that libnvinfer.so.N is on the loader path (LD_LIBRARY_PATH or ldconfig), "
    "or pass { nvinferPath } to loadNative(), or set TRT_NVINFER_PATH to the library file.";

}  // namespace

Failure UnavailableFailure(const std::string& reason, const std::string& message, const std::vector<std::string>& tried,
                           const std::string& fix) {
  std::string text = message;
  if (!tried.empty()) {
    text += "\nTried:";
    for (const auto& t : tried) text += "\n  - " + t;
  }
  if (!fix.empty()) text += "\nFix: " + fix;
  Failure f(kCodeUnavailable, "RuntimeUnavailableError", text);
  f.With("implementation", std::string("native"));
  f.With("reason", reason);
  f.With("detail", message);
  f.With("tried", tried);
  f.With("fix", fix);
  return f;
}

namespace {
std::mutex registryMu;
std::vector<Library*> registry;  // process lifetime, like the libraries
}  // namespace

void DrainLoggers(Napi::Env env) {
  std::vector<Library*> libraries;
  {
    std::lock_guard<std::mutex> lock(registryMu);
    libraries = registry;
  }
  for (Library* lib : libraries) lib->logger->Drain(env);
}

Library* OpenNvInfer(const std::string& explicitPath) {
  DlSearch search;
  search.what = "libnvinfer";
  search.explicitPath = explicitPath;
  search.optionName = "nvinferPath";
  search.envVar = "TRT_NVINFER_PATH";
  search.names = {trt_abi::V11::kLibraryFile, trt_abi::V10::kLibraryFile};  // newest major first

  DlResult found = DlOpenFirst(search);
  if (found.handle == nullptr) {
    throw UnavailableFailure("library-not-found", "libnvinfer (TensorRT) could not be loaded.", found.tried,
                             kFixLibrary);
  }

  std::lock_guard<std::mutex> lock(registryMu);
  for (Library* lib : registry) {
    if (lib->handle == found.handle) return lib;
  }

  auto versionFn = reinterpret_cast<Library::GetInferLibVersionFn>(
      DlSymbol(found.handle, Library::Entry::getInferLibVersion::symbol));
  auto createFn = reinterpret_cast<Library::CreateInferRuntimeFn>(
      DlSymbol(found.handle, Library::Entry::createInferRuntime_INTERNAL::symbol));
  if (versionFn == nullptr || createFn == nullptr) {
    throw UnavailableFailure(
        "not-tensorrt",
        found.path + " loaded but does not export getInferLibVersion and createInferRuntime_INTERNAL; it is not "
                     "TensorRT's runtime library.",
        {found.path}, kFixLibrary);
  }

  const int32_t version = versionFn();
  std::string abiError;
  const AbiTable* abi = AbiTableFor(version, &abiError);
  if (abi == nullptr) {
    throw UnavailableFailure("unsupported-version", found.path + ": " + abiError, {found.path},
                             "Use a TensorRT 10.x or 11.x libnvinfer (pass { nvinferPath } or set TRT_NVINFER_PATH).");
  }

  auto* lib = new Library();
  lib->path = found.path;
  lib->handle = found.handle;
  lib->version = version;
  lib->abi = abi;
  lib->vtables = CallerVtablesFor(abi->major);
  lib->createInferRuntime = createFn;
  lib->getPluginRegistry = reinterpret_cast<Library::GetPluginRegistryFn>(
      DlSymbol(found.handle, Library::Entry::getPluginRegistry::symbol));
  lib->logger = new Logger(lib->vtables->logger);

  auto infoFn = reinterpret_cast<const char* (*)()>(DlSymbol(found.handle, "trtEmulatorInfo"));
  if (infoFn != nullptr) {
    const char* json = infoFn();
    lib->emulator = true;
    lib->emulatorInfoJson = json != nullptr ? json : "{}";
    lib->emulatorVersion = JsonField(lib->emulatorInfoJson, "version");
    lib->emulatorMode = JsonField(lib->emulatorInfoJson, "mode");
    if (lib->emulatorMode != "host") lib->emulatorMode = "cuda";
  }
  registry.push_back(lib);
  return lib;
}

}  // namespace trtn
