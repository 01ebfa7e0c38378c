#include "plugin_registry.h"

#include <dlfcn.h>

#include <algorithm>

namespace emu {

namespace {

// InterfaceInfo comes back by value (RAX:RDX), as from the C++ method.
using GetInterfaceInfoFn = plugin_abi::CreatorBase::getInterfaceInfo::Fn;
using NameFn = plugin_abi::CreatorV1::getPluginName::Fn;
static_assert(std::is_same<NameFn, plugin_abi::CreatorV3One::getPluginName::Fn>::value, "creator name getters");

std::string readText(void* creator, int slot) {
  const char* text = slotOf<NameFn>(creator, slot)(creator);
  return text ? std::string(text) : std::string();
}

std::string quoted(const std::string& s) { return "'" + s + "'"; }

std::string identityText(const std::string& name, const std::string& version, const std::string& ns) {
  return "plugin " + quoted(name) + " version " + quoted(version) + " namespace " + quoted(ns);
}

}  // namespace

bool describeCreator(void* creator, CreatorIdentity& out, std::string& error) {
  if (!creator) {
    error = "a null plugin creator";
    return false;
  }
  const trt_abi::InterfaceInfo info =
      slotOf<GetInterfaceInfoFn>(creator, plugin_abi::CreatorBase::getInterfaceInfo::slot)(creator);
  out.kind = info.kind ? info.kind : "";
  if (out.kind == plugin_abi::CreatorV1::kInterfaceKind) {
    out.name = readText(creator, plugin_abi::CreatorV1::getPluginName::slot);
    out.version = readText(creator, plugin_abi::CreatorV1::getPluginVersion::slot);
    out.libraryNamespace = readText(creator, plugin_abi::CreatorV1::getPluginNamespace::slot);
  } else if (out.kind == plugin_abi::CreatorV3One::kInterfaceKind) {
    out.name = readText(creator, plugin_abi::CreatorV3One::getPluginName::slot);
    out.version = readText(creator, plugin_abi::CreatorV3One::getPluginVersion::slot);
    out.libraryNamespace = readText(creator, plugin_abi::CreatorV3One::getPluginNamespace::slot);
  } else {
    error = "a plugin creator of unknown kind " + quoted(out.kind) + " (the emulator reads \"" +
            plugin_abi::CreatorV1::kInterfaceKind + "\" and \"" + plugin_abi::CreatorV3One::kInterfaceKind + "\")";
    return false;
  }
  if (out.name.empty() || out.version.empty()) {
    error = "a plugin creator with an empty name or version";
    return false;
  }
  return true;
}

void PluginRegistry::adoptLogger(const Logger& logger) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (hasLogger_) return;
  logger_ = logger;
  hasLogger_ = true;
}

Logger PluginRegistry::logger() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return logger_;
}

void* PluginRegistry::rawLogger() const { return logger().raw(); }

void PluginRegistry::logError(const std::string& message) const { logger().error(message); }

const PluginRegistry::Entry* PluginRegistry::findLocked(const std::string& name, const std::string& version,
                                                        const std::string& ns) const {
  for (const Entry& e : entries_) {
    if (e.identity.name == name && e.identity.version == version && e.libraryNamespace == ns) return &e;
  }
  return nullptr;
}

bool PluginRegistry::add(void* creator, const char* libraryNamespace, const char* method) {
  CreatorIdentity identity;
  std::string error;
  if (!describeCreator(creator, identity, error)) {
    logError(std::string(method) + ": cannot register " + error);
    return false;
  }
  const std::string ns = libraryNamespace ? libraryNamespace : "";
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!findLocked(identity.name, identity.version, ns)) {
      entries_.push_back(Entry{identity, ns, creator, nullptr});
      return true;
    }
  }
  logError(std::string(method) + ": " + identityText(identity.name, identity.version, ns) + " is already registered");
  return false;
}

bool PluginRegistry::remove(const void* creator) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = std::find_if(entries_.begin(), entries_.end(), [&](const Entry& e) { return e.creator == creator; });
  if (it == entries_.end()) return false;
  entries_.erase(it);
  return true;
}

void* PluginRegistry::lookupHere(const std::string& name, const std::string& version, const std::string& ns) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const Entry* e = findLocked(name, version, ns);
  return e ? e->creator : nullptr;
}

void* PluginRegistry::lookup(const std::string& name, const std::string& version, const std::string& ns,
                             const char* method, const Logger* logTo) const {
  if (void* creator = lookupHere(name, version, ns)) return creator;
  // The parent reports its own miss: one message, as TensorRT logs one.
  if (parent_ && parentSearch_) return parent_->lookup(name, version, ns, method, logTo);
  // TensorRT's wording, which callers parse for the plugin's name and version.
  if (logTo) {
    logTo->error(std::string(method) + ": Error Code 4: API Usage Error (Cannot find plugin: " + name +
                 ", version: " + version + ", namespace:" + ns + ".)");
  }
  return nullptr;
}

void PluginRegistry::appendCreators(std::vector<void*>& out) const {
  std::lock_guard<std::mutex> lock(mutex_);
  for (const Entry& e : entries_) out.push_back(e.creator);
}

void* const* PluginRegistry::all(int32_t* count) {
  std::vector<void*> creators;
  appendCreators(creators);
  std::lock_guard<std::mutex> lock(mutex_);
  snapshot_ = std::move(creators);
  if (count) *count = static_cast<int32_t>(snapshot_.size());
  return snapshot_.data();
}

void* const* PluginRegistry::allRecursive(int32_t* count) {
  // One lock at a time: the parent is read with this registry's lock released.
  std::vector<void*> creators;
  appendCreators(creators);
  if (parent_) parent_->appendCreators(creators);
  std::lock_guard<std::mutex> lock(mutex_);
  recursiveSnapshot_ = std::move(creators);
  if (count) *count = static_cast<int32_t>(recursiveSnapshot_.size());
  return recursiveSnapshot_.data();
}

void* PluginRegistry::loadLibrary(const char* path, void* loggerFinder) {
  const char* m = "IPluginRegistry::loadLibrary";
  if (!path || !*path) {
    logError(std::string(m) + ": the plugin library path is null or empty");
    return nullptr;
  }
  void* dl = dlopen(path, RTLD_LAZY | RTLD_LOCAL);
  if (!dl) {
    const char* why = dlerror();
    logError(std::string(m) + ": could not load plugin library " + quoted(path) + ": " + (why ? why : "dlopen failed"));
    return nullptr;
  }
  auto getCreators = reinterpret_cast<plugin_abi::GetCreatorsFn>(dlsym(dl, "getCreators"));
  auto getPluginCreators = reinterpret_cast<plugin_abi::GetPluginCreatorsFn>(dlsym(dl, "getPluginCreators"));
  if (!getCreators && !getPluginCreators) {
    dlclose(dl);
    logError(std::string(m) + ": " + quoted(path) +
             " is not a plugin library: it exports neither getCreators nor getPluginCreators");
    return nullptr;
  }
  // Library code runs without the registry's lock held: it may log through the finder.
  if (auto setLoggerFinder = reinterpret_cast<plugin_abi::SetLoggerFinderFn>(dlsym(dl, "setLoggerFinder"))) {
    setLoggerFinder(loggerFinder);
  }
  int32_t count = 0;
  void* list = getCreators ? getCreators(&count) : getPluginCreators(&count);
  auto* const* creators = static_cast<void* const*>(list);
  if (count < 0 || (count > 0 && !creators)) {
    dlclose(dl);
    logError(std::string(m) + ": " + quoted(path) + " returned an invalid creator list (" + std::to_string(count) +
             " creators)");
    return nullptr;
  }
  std::vector<Entry> adding;
  for (int32_t i = 0; i < count; ++i) {
    Entry e;
    std::string error;
    if (!describeCreator(creators[i], e.identity, error)) {
      dlclose(dl);
      logError(std::string(m) + ": " + quoted(path) + " returned " + error);
      return nullptr;
    }
    e.libraryNamespace = e.identity.libraryNamespace;
    e.creator = creators[i];
    adding.push_back(std::move(e));
  }

  auto* library = new Library{dl, path};
  std::string duplicate;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const Entry& e : adding) {
      if (findLocked(e.identity.name, e.identity.version, e.libraryNamespace)) {
        duplicate = identityText(e.identity.name, e.identity.version, e.libraryNamespace);
        break;
      }
    }
    if (duplicate.empty()) {
      for (Entry& e : adding) {
        e.library = library;
        entries_.push_back(std::move(e));
      }
      libraries_.push_back(library);
    }
  }
  if (!duplicate.empty()) {
    delete library;
    dlclose(dl);
    logError(std::string(m) + ": " + quoted(path) + " registers " + duplicate +
             ", which is already registered; nothing of the library was registered");
    return nullptr;
  }
  logger().verbose(std::string(m) + ": registered " + std::to_string(count) + " plugin creator" +
                   (count == 1 ? "" : "s") + " from " + quoted(path));
  return library;
}

void PluginRegistry::deregisterLibrary(void* handle) {
  void* dl = nullptr;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = std::find(libraries_.begin(), libraries_.end(), static_cast<Library*>(handle));
    if (it == libraries_.end()) {
      dl = nullptr;
    } else {
      entries_.erase(std::remove_if(entries_.begin(), entries_.end(), [&](const Entry& e) { return e.library == handle; }),
                     entries_.end());
      dl = (*it)->dl;
      delete *it;
      libraries_.erase(it);
    }
  }
  if (!dl) {
    logError("IPluginRegistry::deregisterLibrary: the handle is not one loadLibrary returned");
    return;
  }
  dlclose(dl);
}

PluginRegistry::~PluginRegistry() {
  for (Library* library : libraries_) {
    dlclose(library->dl);
    delete library;
  }
}

PluginRegistry& pluginRegistry() {
  static PluginRegistry* registry = new PluginRegistry();
  return *registry;
}

}  // namespace emu
