// Plugin creators as a plugin library implements them, for the emulator's
// stand-in of TensorRT's plugin library and its test plugin libraries: C++
// objects with IPluginCreator ("PLUGIN CREATOR_V1") or IPluginCreatorV3One
// ("PLUGIN CREATOR_V3ONE") vtables, laid out from the generated ABI header.
// They only describe themselves: the emulator runs plugin layers on its own
// (a copy), so createPlugin and deserializePlugin return null.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

#include "trt_abi.generated.h"

namespace emu_plugins {

// A creator object: the vtable pointer first, as C++ lays it out.
struct Creator {
  const void* const* vptr;
  const char* name;
  const char* version;
  std::string libraryNamespace;
};

// Stores `fn` at the slot of M; the parameter type is the ABI's own.
template <class M, std::size_t N>
void set(std::array<const void*, N>& table, typename M::Fn fn) {
  static_assert(M::slot >= 0 && static_cast<std::size_t>(M::slot) < N, "slot outside the vtable");
  table[M::slot] = reinterpret_cast<const void*>(fn);
}

// PluginFieldCollection {int32_t nbFields; PluginField const* fields;}: no fields.
struct EmptyFieldCollection {
  int32_t nbFields = 0;
  const void* fields = nullptr;
};

inline const Creator& self(void* object) { return *static_cast<const Creator*>(object); }
inline void noDestructor(void*) {}
inline int32_t apiLanguageCpp(void*) { return 0; }  // APILanguage::kCPP
inline const char* nameOf(void* c) { return self(c).name; }
inline const char* versionOf(void* c) { return self(c).version; }
inline const char* namespaceOf(void* c) { return self(c).libraryNamespace.c_str(); }
inline void* noFields(void*) {
  static EmptyFieldCollection empty;
  return &empty;
}

// IPluginCreator (TensorRT's older creators, for IPluginV2 plugins).
template <class V>
struct CreatorV1 {
  using C = typename V::IPluginCreator;
  static trt_abi::InterfaceInfo info(void*) { return {C::kInterfaceKind, C::kInterfaceMajor, C::kInterfaceMinor}; }
  static void* createPlugin(void*, const char*, void*) { return nullptr; }
  static void* deserializePlugin(void*, const char*, void*, uint64_t) { return nullptr; }
  static void setNamespace(void* c, const char* ns) { static_cast<Creator*>(c)->libraryNamespace = ns ? ns : ""; }

  static const void* const* table() {
    static const auto t = [] {
      std::array<const void*, C::kVtableSize> t{};
      set<typename C::getAPILanguage>(t, &apiLanguageCpp);
      set<typename C::getInterfaceInfo>(t, &info);
      set<typename C::destructor_complete>(t, &noDestructor);
      set<typename C::destructor_deleting>(t, &noDestructor);
      set<typename C::getPluginName>(t, &nameOf);
      set<typename C::getPluginVersion>(t, &versionOf);
      set<typename C::getFieldNames>(t, &noFields);
      set<typename C::createPlugin>(t, &createPlugin);
      set<typename C::deserializePlugin>(t, &deserializePlugin);
      set<typename C::setPluginNamespace>(t, &setNamespace);
      set<typename C::getPluginNamespace>(t, &namespaceOf);
      return t;
    }();
    return t.data();
  }
};

// IPluginCreatorV3One (creators of IPluginV3 plugins).
template <class V>
struct CreatorV3One {
  using C = typename V::IPluginCreatorV3One;
  static trt_abi::InterfaceInfo info(void*) { return {C::kInterfaceKind, C::kInterfaceMajor, C::kInterfaceMinor}; }
  static void* createPlugin(void*, const char*, void*, int32_t) { return nullptr; }

  static const void* const* table() {
    static const auto t = [] {
      std::array<const void*, C::kVtableSize> t{};
      set<typename C::getAPILanguage>(t, &apiLanguageCpp);
      set<typename C::getInterfaceInfo>(t, &info);
      set<typename C::destructor_complete>(t, &noDestructor);
      set<typename C::destructor_deleting>(t, &noDestructor);
      set<typename C::createPlugin>(t, &createPlugin);
      set<typename C::getFieldNames>(t, &noFields);
      set<typename C::getPluginName>(t, &nameOf);
      set<typename C::getPluginVersion>(t, &versionOf);
      set<typename C::getPluginNamespace>(t, &namespaceOf);
      return t;
    }();
    return t.data();
  }
};

// Logs through an ILogger* of major V (null: nothing).
template <class V>
void logTo(void* logger, int32_t severity, const std::string& message) {
  if (!logger) return;
  void* const* vtable = *static_cast<void* const* const*>(logger);
  reinterpret_cast<typename V::ILogger::log::Fn>(vtable[V::ILogger::log::slot])(logger, severity, message.c_str());
}

}  // namespace emu_plugins
