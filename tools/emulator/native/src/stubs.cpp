#include "stubs.h"

#include <string>

#include "objects.h"

namespace emu {

void reportNotEmulated(const char* className, int slot, void* a0, void* a1) {
  const std::string message = std::string("not emulated: ") + className + "::slot " + std::to_string(slot) +
                              " (the TensorRT emulator implements only the methods the runtime calls)";
  Logger logger;
  if (loggerOfImpl(a0, logger) || loggerOfImpl(a1, logger)) logger.error(message);
  else logToStderr(Severity::kERROR, message);
}

}  // namespace emu
