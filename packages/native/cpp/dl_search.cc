#ifndef _GNU_SOURCE
#define _GNU_SOURCE  // dlinfo, RTLD_DI_LINKMAP
#endif
#include "dl_search.h"

#include <dlfcn.h>
#include <link.h>

#include <cstdlib>

namespace trtn {
namespace {

struct Candidate {
  std::string value;
  std::string origin;
};

std::string ResolvedPath(void* handle, const std::string& fallback) {
  struct link_map* map = nullptr;
  if (dlinfo(handle, RTLD_DI_LINKMAP, &map) == 0 && map != nullptr && map->l_name != nullptr &&
      map->l_name[0] != '\0') {
    return map->l_name;
  }
  return fallback;
}

}  // namespace

DlResult DlOpenFirst(const DlSearch& search) {
  std::vector<Candidate> candidates;
  const char* env = search.envVar != nullptr ? std::getenv(search.envVar) : nullptr;
  if (!search.explicitPath.empty()) {
    candidates.push_back({search.explicitPath, "option " + search.optionName});
  } else if (env != nullptr && env[0] != '\0') {
    candidates.push_back({env, std::string("environment variable ") + search.envVar});
  } else {
    for (const auto& name : search.names) candidates.push_back({name, "system loader path"});
  }

  DlResult result;
  for (const auto& c : candidates) {
    dlerror();  // clear any stale message
    void* handle = dlopen(c.value.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle != nullptr) {
      result.handle = handle;
      result.path = ResolvedPath(handle, c.value);
      return result;
    }
    const char* err = dlerror();
    result.tried.push_back(c.value + " (" + c.origin + "): " + (err != nullptr ? err : "dlopen failed"));
  }
  return result;
}

void* DlSymbol(void* handle, const char* name) {
  dlerror();
  return dlsym(handle, name);
}

}  // namespace trtn
