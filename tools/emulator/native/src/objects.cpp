#include "objects.h"

#include <mutex>
#include <unordered_map>

namespace emu {

namespace {

struct Entry {
  ObjectKind kind;
  Logger logger;
};

struct Registry {
  std::mutex mutex;
  std::unordered_map<const void*, Entry> byWrapper;
  std::unordered_map<const void*, const void*> implToWrapper;
};

// Leaked on purpose: objects may be released from static destructors of the
// caller after this library's statics would otherwise be gone.
Registry& registry() {
  static Registry* r = new Registry();
  return *r;
}

}  // namespace

void registerObject(Wrapper* wrapper, ObjectKind kind, const Logger& logger) {
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  r.byWrapper[wrapper] = Entry{kind, logger};
  r.implToWrapper[wrapper->impl] = wrapper;
}

void unregisterObject(Wrapper* wrapper) {
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  r.byWrapper.erase(wrapper);
  r.implToWrapper.erase(wrapper->impl);
}

bool loggerOfImpl(const void* impl, Logger& out) {
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  auto w = r.implToWrapper.find(impl);
  if (w == r.implToWrapper.end()) return false;
  out = r.byWrapper.at(w->second).logger;
  return true;
}

bool isLiveWrapper(const void* wrapper, ObjectKind kind) {
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  auto e = r.byWrapper.find(wrapper);
  return e != r.byWrapper.end() && e->second.kind == kind;
}

}  // namespace emu
