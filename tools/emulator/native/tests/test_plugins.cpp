// The plugin registries: the global one (getPluginRegistry()) and each
// runtime's own (IRuntime::getPluginRegistry), apart as in TensorRT 10.6;
// loadLibrary with the test plugin libraries, initLibNvInferPlugins of the
// stand-in libnvinfer_plugin.so.N (into the global registry), and plans whose
// plugin layers need a creator from either. The global registry belongs to
// the process, so each test leaves it as it found it (deregisterLibrary),
// except the standard plugins, which cannot be unregistered (as with
// TensorRT); the test that registers them checks the state before and after.
#include <dlfcn.h>

#include <algorithm>

#include "caller.h"

using namespace t;

namespace {

std::string libraryDir() {
  const std::string& lib = options().lib;
  const size_t slash = lib.rfind('/');
  return slash == std::string::npos ? std::string(".") : lib.substr(0, slash);
}

std::string testPlugins(const char* which) { return libraryDir() + "/test-plugins/libemu_" + which + "_plugins.so"; }

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

// TensorRT logs registry messages through the first runtime's logger, for the
// life of the process: it must outlive every test of the group.
template <class V>
CaptureLogger<V>& processLogger() {
  static CaptureLogger<V>* logger = [] {
    auto* l = new CaptureLogger<V>();
    Owned first(createRuntime<V>(*l));  // the registry adopts this logger
    return l;
  }();
  return *logger;
}

template <class V>
void* registry() {
  processLogger<V>();
  return symbol<void* (*)()>("getPluginRegistry")();
}

// Calls slot M of a plain (unwrapped) object such as the registry.
template <class M, class... A>
auto callPlain(void* object, A... args) {
  void* const* vtable = *static_cast<void* const* const*>(object);
  return reinterpret_cast<typename M::Fn>(vtable[M::slot])(object, args...);
}

#define REG(m) typename V::IPluginRegistry::m

template <class V>
int32_t creatorCount(void* reg) {
  int32_t n = -1;
  callPlain<REG(getAllCreators)>(reg, &n);
  return n;
}

template <class V>
int32_t creatorCount() {
  return creatorCount<V>(registry<V>());
}

template <class V>
int32_t recursiveCount(void* reg) {
  int32_t n = -1;
  callPlain<REG(getAllCreatorsRecursive)>(reg, &n);
  return n;
}

std::string lastMessage(const std::vector<LogEntry>& entries) { return entries.empty() ? "" : entries.back().message; }

}  // namespace

TEST(plugins, the_export_gives_the_global_registry_and_each_runtime_its_own) {
  processLogger<V>();  // before any other runtime: see processLogger
  CaptureLogger<V> logger;
  Owned a(createRuntime<V>(logger));
  Owned b(createRuntime<V>(logger));
  REQUIRE(a && b);
  void* global = registry<V>();
  REQUIRE(global);
  CHECK_EQ(symbol<void* (*)()>("getPluginRegistry")(), global);
  void* local = call<RT(getPluginRegistry)>(a.get());
  REQUIRE(local);
  CHECK(local != global);
  CHECK_EQ(call<RT(getPluginRegistry)>(a.get()), local);  // the same object on every call
  CHECK(call<RT(getPluginRegistry)>(b.get()) != local);  // another runtime, another registry
  // A runtime's registry starts empty whatever the global one holds, and lists both recursively.
  CHECK_EQ(creatorCount<V>(local), 0);
  CHECK_EQ(recursiveCount<V>(local), creatorCount<V>(global));
  CHECK_EQ(recursiveCount<V>(global), creatorCount<V>(global));
  CHECK_EQ(callPlain<REG(isParentSearchEnabled)>(global), true);
  CHECK_EQ(callPlain<REG(isParentSearchEnabled)>(local), true);
  CHECK_NO_ERRORS(logger);
}

TEST(plugins, load_library_on_a_runtime_registry_registers_there_only) {
  processLogger<V>();  // before any other runtime: see processLogger
  void* global = registry<V>();
  const int32_t globalBefore = creatorCount<V>(global);
  CaptureLogger<V> logger;
  Owned runtime(createRuntime<V>(logger));
  REQUIRE(runtime);
  void* local = call<RT(getPluginRegistry)>(runtime.get());
  void* handle = callPlain<REG(loadLibrary)>(local, testPlugins("test").c_str());
  REQUIRE(handle);
  CHECK_EQ(creatorCount<V>(local), 2);
  CHECK_EQ(creatorCount<V>(global), globalBefore);
  CHECK_EQ(recursiveCount<V>(local), globalBefore + 2);
  CHECK(callPlain<REG(getCreator)>(local, "EmuScale", "1", "emu") != nullptr);
  CHECK(callPlain<REG(getCreator)>(global, "EmuScale", "1", "emu") == nullptr);
  {
    Owned engine(deserialize<V>(runtime.get(), readFixture("plugin_custom.plan")));
    CHECK(engine);  // its creator is in this runtime's registry
  }
  {
    Loaded<V> other("plugin_custom");
    CHECK(!other.engine);  // not in another runtime's, nor in the global one
    CHECK_LOGGED(other.logger, "Cannot find plugin: EmuScale, version: 1, namespace:emu.");
    // The same library into that runtime's registry: its own creators, no clash with the first.
    void* otherLocal = call<RT(getPluginRegistry)>(other.runtime.get());
    CHECK(callPlain<REG(loadLibrary)>(otherLocal, testPlugins("test").c_str()) != nullptr);
    CHECK_EQ(creatorCount<V>(otherLocal), 2);
    // Destroyed with the library still loaded: the runtime's registry closes it.
  }
  callPlain<REG(deregisterLibrary)>(local, handle);
  CHECK_EQ(creatorCount<V>(local), 0);
  CHECK_EQ(creatorCount<V>(global), globalBefore);
  CHECK_NO_ERRORS(logger);
}

TEST(plugins, a_runtime_finds_global_creators_and_parent_search_governs_only_get_creator) {
  processLogger<V>();  // before any other runtime: see processLogger
  void* global = registry<V>();
  void* handle = callPlain<REG(loadLibrary)>(global, testPlugins("test").c_str());
  REQUIRE(handle);
  CaptureLogger<V> logger;
  Owned runtime(createRuntime<V>(logger));
  REQUIRE(runtime);
  void* local = call<RT(getPluginRegistry)>(runtime.get());
  CHECK_EQ(creatorCount<V>(local), 0);
  CHECK(callPlain<REG(getCreator)>(local, "EmuScale", "1", "emu") != nullptr);  // found in the parent
  callPlain<REG(setParentSearchEnabled)>(local, false);
  CHECK_EQ(callPlain<REG(isParentSearchEnabled)>(local), false);
  CHECK_EQ(callPlain<REG(isParentSearchEnabled)>(global), true);
  CHECK(callPlain<REG(getCreator)>(local, "EmuScale", "1", "emu") == nullptr);
  {
    Owned engine(deserialize<V>(runtime.get(), readFixture("plugin_custom.plan")));
    CHECK(engine);  // deserialization looks in the global registry all the same
  }
  callPlain<REG(deregisterLibrary)>(global, handle);
}

TEST(plugins, a_plan_whose_creator_is_missing_is_refused_naming_it) {
  processLogger<V>();  // before any other runtime: see processLogger
  Loaded<V> f("plugin_custom");
  CHECK(!f.engine);
  CHECK_LOGGED(f.logger, "IPluginRegistry::getCreator: Error Code 4: API Usage Error (Cannot find plugin: EmuScale, version: 1, namespace:emu.)");
  CHECK(contains(lastMessage(f.logger.entries), "Cannot deserialize plugin since corresponding IPluginCreator not found in Plugin Registry"));
}

TEST(plugins, load_library_registers_its_creators_and_the_plan_then_runs) {
  processLogger<V>();  // before any other runtime: see processLogger
  void* reg = registry<V>();
  const int32_t before = creatorCount<V>();
  CaptureLogger<V>& pl = processLogger<V>();
  const size_t logged = pl.entries.size();
  void* handle = callPlain<REG(loadLibrary)>(reg, testPlugins("test").c_str());
  REQUIRE(handle);
  CHECK_EQ(creatorCount<V>(), before + 2);
  // The library found the process's logger through the logger finder.
  bool greeted = false;
  for (size_t i = logged; i < pl.entries.size(); ++i) greeted = greeted || contains(pl.entries[i].message, "emulator test plugin library: 2 creators");
  CHECK(greeted);
  // Both creator kinds are found by name, version and namespace.
  CHECK(callPlain<REG(getCreator)>(reg, "EmuScale", "1", "emu") != nullptr);
  CHECK(callPlain<REG(getCreator)>(reg, "EmuLegacyScale", "2", "emu") != nullptr);
  CHECK(callPlain<REG(getCreator)>(reg, "EmuScale", "1", "") == nullptr);  // another namespace

  {
    Loaded<V> f("plugin_custom");
    REQUIRE(f.engine);
    Owned ctx(f.context());
    REQUIRE(ctx);
    const Dims64 d = dims({2, 4});
    CHECK(call<CTX(setInputShape)>(ctx.get(), "x", &d));
    Buffer x(32), y(32);
    x.write(std::vector<float>{1, -2, 3, -4, 0.5f, -0.5f, 7, 8});
    CHECK(call<CTX(setTensorAddress)>(ctx.get(), "x", x.get()));
    CHECK(call<CTX(setTensorAddress)>(ctx.get(), "y", y.get()));
    CHECK(call<CTX(enqueueV3)>(ctx.get(), stream()));
    sync();
    CHECK((y.read<float>(8) == std::vector<float>{1, 0, 3, 0, 0.5f, 0, 7, 8}));  // relu, then the plugin's copy
    Owned inspector(call<ENG(createEngineInspector)>(f.engine.get()));
    REQUIRE(inspector);
    const char* info = call<INS(getLayerInformation)>(inspector.get(), 1, static_cast<int32_t>(V::LayerInformationFormat::kJSON));
    REQUIRE(info);
    CHECK(contains(info, "\"Name\":\"scale\",\"LayerType\":\"PluginV3\""));
    CHECK(contains(info, "\"PluginName\":\"EmuScale\",\"PluginVersion\":\"1\",\"PluginNamespace\":\"emu\""));
    CHECK_NO_ERRORS(f.logger);
  }

  callPlain<REG(deregisterLibrary)>(reg, handle);
  CHECK_EQ(creatorCount<V>(), before);
  Loaded<V> again("plugin_custom");
  CHECK(!again.engine);  // its creator went with the library
}

TEST(plugins, a_library_already_loaded_is_refused_whole) {
  processLogger<V>();  // before any other runtime: see processLogger
  void* reg = registry<V>();
  const int32_t before = creatorCount<V>();
  void* first = callPlain<REG(loadLibrary)>(reg, testPlugins("test").c_str());
  REQUIRE(first);
  CaptureLogger<V>& pl = processLogger<V>();
  CHECK(callPlain<REG(loadLibrary)>(reg, testPlugins("test").c_str()) == nullptr);
  CHECK(contains(lastMessage(pl.entries), "is already registered; nothing of the library was registered"));
  CHECK_EQ(creatorCount<V>(), before + 2);
  callPlain<REG(deregisterLibrary)>(reg, first);
  CHECK_EQ(creatorCount<V>(), before);
}

TEST(plugins, a_library_that_registers_nothing_loads_and_adds_no_creator) {
  processLogger<V>();  // before any other runtime: see processLogger
  void* reg = registry<V>();
  const int32_t before = creatorCount<V>();
  void* handle = callPlain<REG(loadLibrary)>(reg, testPlugins("empty").c_str());
  CHECK(handle != nullptr);
  CHECK_EQ(creatorCount<V>(), before);
  if (handle) callPlain<REG(deregisterLibrary)>(reg, handle);
}

TEST(plugins, libraries_that_cannot_serve_are_refused_with_the_reason) {
  processLogger<V>();  // before any other runtime: see processLogger
  void* reg = registry<V>();
  CaptureLogger<V>& pl = processLogger<V>();
  const std::string missing = libraryDir() + "/test-plugins/no_such_library.so";
  CHECK(callPlain<REG(loadLibrary)>(reg, missing.c_str()) == nullptr);
  CHECK(contains(lastMessage(pl.entries), "could not load plugin library '" + missing + "'"));
  // libnvinfer itself opens fine but is no plugin library.
  CHECK(callPlain<REG(loadLibrary)>(reg, options().lib.c_str()) == nullptr);
  CHECK(contains(lastMessage(pl.entries), "exports neither getCreators nor getPluginCreators"));
}

TEST(plugins, the_standard_plugin_library_registers_tensorrts_names) {
  processLogger<V>();  // before any other runtime: see processLogger
  const std::string path = libraryDir() + "/libnvinfer_plugin.so." + std::to_string(V::kMajor);
  void* lib = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  REQUIRE(lib);
  using InitFn = typename V::PluginEntryPoints::initLibNvInferPlugins::Fn;
  auto init = reinterpret_cast<InitFn>(dlsym(lib, V::PluginEntryPoints::initLibNvInferPlugins::symbol));
  REQUIRE(init);
  void* reg = registry<V>();
  {
    Loaded<V> before("plugin_standard");
    CHECK(!before.engine);
    CHECK_LOGGED(before.logger, "Cannot find plugin: EfficientNMS_TRT, version: 1, namespace:.");
  }
  const int32_t count = creatorCount<V>();
  CaptureLogger<V> logger;
  Owned runtime(createRuntime<V>(logger));
  REQUIRE(runtime);
  void* local = call<RT(getPluginRegistry)>(runtime.get());
  CHECK(init(&logger, ""));
  CHECK_EQ(creatorCount<V>(), count + 2);
  // Into the global registry, as TensorRT's does: a runtime's own stays empty.
  CHECK_EQ(creatorCount<V>(local), 0);
  CHECK_EQ(recursiveCount<V>(local), count + 2);
  CHECK(std::any_of(logger.entries.begin(), logger.entries.end(),
                    [](const LogEntry& e) { return contains(e.message, "registered EfficientNMS_TRT version 1"); }));
  CHECK_EQ(logger.errors(), 0);
  CHECK(callPlain<REG(getCreator)>(reg, "EfficientNMS_ONNX_TRT", "1", "") != nullptr);
  CHECK(init(&logger, ""));  // again: nothing new, still a success
  CHECK_EQ(creatorCount<V>(), count + 2);
  Loaded<V> after("plugin_standard");
  CHECK(after.engine);
  CHECK_NO_ERRORS(after.logger);
}
