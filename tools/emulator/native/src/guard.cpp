#include "guard.h"

#include <string>

#include "objects.h"

namespace emu {

void reportInternalError(void* self, const char* what) noexcept {
  try {
    const std::string message = std::string("internal error in the TensorRT emulator: ") + what;
    Logger logger;
    if (loggerOfImpl(self, logger)) logger.log(Severity::kINTERNAL_ERROR, message);
    else logToStderr(Severity::kINTERNAL_ERROR, message);
  } catch (...) {
  }
}

}  // namespace emu
