// Calls into plugin creators a plugin library hands the registry. A creator
// says what it is through IVersionedInterface::getInterfaceInfo ("PLUGIN
// CREATOR_V1" for IPluginCreator, "PLUGIN CREATOR_V3ONE" for
// IPluginCreatorV3One), and the two kinds keep their name, version and
// namespace in different slots. Those slots are the same in TensorRT 10 and 11
// (the asserts say so), so the registry core reads creators without knowing
// which major the library presents.
#pragma once

#include <string>
#include <type_traits>

#include "abi.h"

namespace emu {

namespace plugin_abi {

using V10 = trt_abi::V10;
using V11 = trt_abi::V11;

#define EMU_SAME_SLOT(Iface, Method)                                                                     \
  static_assert(V10::Iface::Method::slot == V11::Iface::Method::slot, #Iface "::" #Method " slot moved"); \
  static_assert(std::is_same<V10::Iface::Method::Fn, V11::Iface::Method::Fn>::value, #Iface "::" #Method " type")
EMU_SAME_SLOT(IPluginCreatorInterface, getInterfaceInfo);
EMU_SAME_SLOT(IPluginCreator, getPluginName);
EMU_SAME_SLOT(IPluginCreator, getPluginVersion);
EMU_SAME_SLOT(IPluginCreator, getPluginNamespace);
EMU_SAME_SLOT(IPluginCreatorV3One, getPluginName);
EMU_SAME_SLOT(IPluginCreatorV3One, getPluginVersion);
EMU_SAME_SLOT(IPluginCreatorV3One, getPluginNamespace);
#undef EMU_SAME_SLOT

using CreatorBase = V10::IPluginCreatorInterface;
using CreatorV1 = V10::IPluginCreator;
using CreatorV3One = V10::IPluginCreatorV3One;

// The C functions IPluginRegistry::loadLibrary looks up (same in both majors).
using GetCreatorsFn = V10::PluginEntryPoints::getCreators::Fn;
using GetPluginCreatorsFn = V10::PluginEntryPoints::getPluginCreators::Fn;
using SetLoggerFinderFn = V10::PluginEntryPoints::setLoggerFinder::Fn;
static_assert(std::is_same<GetCreatorsFn, V11::PluginEntryPoints::getCreators::Fn>::value, "getCreators");
static_assert(std::is_same<SetLoggerFinderFn, V11::PluginEntryPoints::setLoggerFinder::Fn>::value, "setLoggerFinder");

}  // namespace plugin_abi

// What the registry knows of one creator.
struct CreatorIdentity {
  std::string kind;  // "PLUGIN CREATOR_V1" or "PLUGIN CREATOR_V3ONE"
  std::string name, version, libraryNamespace;
};

// Reads `creator`'s kind, name, version and namespace through its vtable.
// False (with `error`) for a null creator, an unknown kind or a null name.
bool describeCreator(void* creator, CreatorIdentity& out, std::string& error);

}  // namespace emu
