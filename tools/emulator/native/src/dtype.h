// Element types the emulator supports. Codes are TensorRT's DataType values,
// so they travel unchanged between the plan, the core and the ABI.
#pragma once

#include <cstdint>

namespace emu {

enum class DType : int32_t {
  kFLOAT = 0,
  kHALF = 1,
  kINT8 = 2,
  kINT32 = 3,
  kBOOL = 4,
  kUINT8 = 5,
  kBF16 = 7,
  kINT64 = 8,
};

// True for the codes above; FP8, INT4, FP4 and E8M0 are TensorRT types the
// emulator does not run, so a plan naming them is rejected.
bool isSupportedDType(uint32_t code);

// Bytes per element.
int dtypeSize(DType t);

// True for the types add, mul and relu accept (everything but bool).
bool isArithmetic(DType t);

// Names as TensorRT prints them in format descriptions ("FP32", "Int64", ...).
const char* dtypeTrtName(DType t);

// Short lower-case name used in messages and the inspector ("f32", "i64", ...).
const char* dtypeShortName(DType t);

}  // namespace emu
