// Finding a shared library at run time: an explicit path, else an environment
// variable, else the system loader's own search (LD_LIBRARY_PATH, ld.so.cache,
// RUNPATH) for a list of sonames. The first place that is *set* decides: a
// path the user named is never silently replaced by another library, so a
// typo fails loudly instead of picking up some other TensorRT.
#pragma once

#include <string>
#include <vector>

namespace trtn {

struct DlSearch {
  std::string what;               // "libnvinfer", for messages
  std::string explicitPath;       // from an option; "" = unset
  std::string optionName;         // "nvinferPath"
  const char* envVar;             // "TRT_NVINFER_PATH"
  std::vector<std::string> names; // sonames for the system loader, preferred first
};

struct DlResult {
  void* handle = nullptr;
  std::string path;                // resolved file (from the link map)
  std::vector<std::string> tried;  // "<candidate> (<origin>): <dlerror>" per failed attempt
};

// dlopen(RTLD_NOW | RTLD_LOCAL) of the first candidate that loads. Libraries
// stay loaded for the life of the process (never dlclose'd): objects they
// created may be finalized as late as process exit.
DlResult DlOpenFirst(const DlSearch& search);

// The symbol, or nullptr.
void* DlSymbol(void* handle, const char* name);

}  // namespace trtn
