// Stand-in for cuda_backend.cu in builds without CUDA (TRT_EMU_CUDA=OFF, or
// AUTO with no nvcc): the library then only ever runs in host mode.
#include "backend.h"

namespace emu {

Backend* cudaBackend() { return nullptr; }
bool cudaCompiledIn() { return false; }
int cudaDeviceCount(std::string& error) {
  error = "the library was built without CUDA";
  return 0;
}
bool cudaCublasAvailable(std::string& detail) {
  detail = "the library was built without CUDA";
  return false;
}

}  // namespace emu
