// Just enough JSON writing for the engine inspector.
#pragma once

#include <string>

#include "abi.h"

namespace emu {

std::string jsonString(const std::string& s);  // quoted and escaped
std::string jsonDims(const Dims64& d);         // [2,3,-1]

}  // namespace emu
