#include "logger.h"

#include <cstdio>

namespace emu {

void logToStderr(Severity severity, const std::string& message) {
  if (severity <= Severity::kERROR) std::fprintf(stderr, "[TensorRT emulator] %s\n", message.c_str());
}

void Logger::log(Severity severity, const std::string& message) const {
  if (!logger_ || abi_.loggerLog < 0) {
    logToStderr(severity, message);
    return;
  }
  slotOf<LogFn>(logger_, abi_.loggerLog)(logger_, static_cast<int32_t>(severity), message.c_str());
}

}  // namespace emu
