// The caller's ILogger, as handed to createInferRuntime_INTERNAL. Every error
// the emulator reports goes through it (TensorRT's contract: a failing call
// logs why, then returns its failure value).
#pragma once

#include <string>

#include "abi.h"
#include "caller_abi.h"

namespace emu {

class Logger {
 public:
  Logger() = default;
  Logger(void* logger, const CallerAbi& abi) : logger_(logger), abi_(abi) {}

  void log(Severity severity, const std::string& message) const;
  void error(const std::string& m) const { log(Severity::kERROR, m); }
  void warning(const std::string& m) const { log(Severity::kWARNING, m); }
  void info(const std::string& m) const { log(Severity::kINFO, m); }
  void verbose(const std::string& m) const { log(Severity::kVERBOSE, m); }

  const CallerAbi& abi() const { return abi_; }
  void* raw() const { return logger_; }

 private:
  void* logger_ = nullptr;
  CallerAbi abi_{};
};

// Last resort when no logger is known (null logger, or a call on an object
// the library cannot identify): errors go to stderr, the rest is dropped.
void logToStderr(Severity severity, const std::string& message);

}  // namespace emu
