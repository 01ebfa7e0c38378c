#include "cublas_loader.h"

#include <dlfcn.h>

#include <cstdlib>
#include <vector>

namespace emu {
namespace cublas {

namespace {

struct Loaded {
  Api api;
  bool ok = false;
  std::string error;
};

template <class F>
bool bind(void* lib, const char* name, F& fn, std::string& missing) {
  fn = reinterpret_cast<F>(dlsym(lib, name));
  if (!fn) missing += std::string(missing.empty() ? "" : ", ") + name;
  return fn != nullptr;
}

Loaded load() {
  Loaded r;
  std::vector<std::string> candidates;
  const char* explicitPath = std::getenv("TRT_EMU_CUBLAS");
  if (explicitPath && *explicitPath) candidates.push_back(explicitPath);  // only that one: the caller chose it
  else candidates = {"libcublas.so.13", "libcublas.so.12"};
  std::string tried;
  for (const std::string& file : candidates) {
    void* lib = dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
      const char* why = dlerror();  // names the file
      tried += (tried.empty() ? "" : "; ") + (why ? std::string(why) : file + ": cannot be loaded");
      continue;
    }
    // Never unloaded: handles live as long as the contexts that use them.
    std::string missing;
    Api& a = r.api;
    bind(lib, "cublasCreate_v2", a.create, missing);
    bind(lib, "cublasDestroy_v2", a.destroy, missing);
    bind(lib, "cublasSetStream_v2", a.setStream, missing);
    bind(lib, "cublasSetWorkspace_v2", a.setWorkspace, missing);
    bind(lib, "cublasSgemm_v2", a.sgemm, missing);
    a.statusName = reinterpret_cast<decltype(a.statusName)>(dlsym(lib, "cublasGetStatusName"));
    if (!missing.empty()) {
      tried += (tried.empty() ? "" : "; ") + file + ": lacks " + missing;
      r.api = Api{};
      dlclose(lib);
      continue;
    }
    a.library = file;
    r.ok = true;
    return r;
  }
  r.error = tried;
  return r;
}

}  // namespace

const Api* api(std::string& error) {
  static const Loaded loaded = load();
  if (!loaded.ok) {
    error = loaded.error;
    return nullptr;
  }
  return &loaded.api;
}

std::string describe(const Api& api, const char* what, Status status) {
  const char* name = api.statusName ? api.statusName(status) : nullptr;
  return std::string(what) + ": " + (name ? name : "cuBLAS status " + std::to_string(status));
}

}  // namespace cublas
}  // namespace emu
