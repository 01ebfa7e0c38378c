// Plugin libraries for tests, loaded the way users load theirs
// (IPluginRegistry::loadLibrary): they export setLoggerFinder and getCreators.
// Built twice per major:
//  - libemu_test_plugins.so: two creators, "EmuScale" version "1" (an
//    IPluginCreatorV3One) and "EmuLegacyScale" version "2" (an IPluginCreator),
//    both in namespace "emu"; it logs through the logger finder's logger;
//  - libemu_empty_plugins.so (EMU_EMPTY_PLUGIN_LIBRARY): a well-formed
//    plugin library that registers nothing.
#include <string>

#include "creators.h"

#if TRT_EMU_MAJOR == 10
using Abi = trt_abi::V10;
#elif TRT_EMU_MAJOR == 11
using Abi = trt_abi::V11;
#else
#error "TRT_EMU_MAJOR must be 10 or 11"
#endif

namespace {

void* gLoggerFinder = nullptr;

void* findLogger() {
  if (!gLoggerFinder) return nullptr;
  void* const* vtable = *static_cast<void* const* const*>(gLoggerFinder);
  auto find = reinterpret_cast<Abi::ILoggerFinder::findLogger::Fn>(vtable[Abi::ILoggerFinder::findLogger::slot]);
  return find(gLoggerFinder);
}

}  // namespace

#define EMU_PLUGIN_EXPORT extern "C" __attribute__((visibility("default")))

EMU_PLUGIN_EXPORT void setLoggerFinder(void* finder) { gLoggerFinder = finder; }

EMU_PLUGIN_EXPORT void* getCreators(void* nbCreators) {
  int32_t& count = *static_cast<int32_t*>(nbCreators);
#ifdef EMU_EMPTY_PLUGIN_LIBRARY
  count = 0;
  emu_plugins::logTo<Abi>(findLogger(), 3 /* kINFO */, "emulator empty plugin library: no creators");
  return nullptr;
#else
  static emu_plugins::Creator scale{emu_plugins::CreatorV3One<Abi>::table(), "EmuScale", "1", "emu"};
  static emu_plugins::Creator legacy{emu_plugins::CreatorV1<Abi>::table(), "EmuLegacyScale", "2", "emu"};
  static void* const creators[] = {&scale, &legacy};
  count = 2;
  emu_plugins::logTo<Abi>(findLogger(), 3 /* kINFO */, "emulator test plugin library: 2 creators (EmuScale 1, EmuLegacyScale 2)");
  return const_cast<void**>(creators);
#endif
}

static_assert(std::is_same_v<decltype(&getCreators), Abi::PluginEntryPoints::getCreators::Fn>, "getCreators type");
static_assert(std::is_same_v<decltype(&setLoggerFinder), Abi::PluginEntryPoints::setLoggerFinder::Fn>,
              "setLoggerFinder type");
