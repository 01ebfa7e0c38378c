#include "dtype.h"

namespace emu {

bool isSupportedDType(uint32_t code) {
  switch (code) {
    case 0: case 1: case 2: case 3: case 4: case 5: case 7: case 8:
      return true;
    default:
      return false;
  }
}

int dtypeSize(DType t) {
  switch (t) {
    case DType::kFLOAT: case DType::kINT32: return 4;
    case DType::kHALF: case DType::kBF16: return 2;
    case DType::kINT8: case DType::kUINT8: case DType::kBOOL: return 1;
    case DType::kINT64: return 8;
  }
  return 0;
}

bool isArithmetic(DType t) { return t != DType::kBOOL; }

const char* dtypeTrtName(DType t) {
  switch (t) {
    case DType::kFLOAT: return "FP32";
    case DType::kHALF: return "FP16";
    case DType::kBF16: return "BF16";
    case DType::kINT8: return "Int8";
    case DType::kUINT8: return "UInt8";
    case DType::kINT32: return "Int32";
    case DType::kINT64: return "Int64";
    case DType::kBOOL: return "Bool";
  }
  return "?";
}

const char* dtypeShortName(DType t) {
  switch (t) {
    case DType::kFLOAT: return "f32";
    case DType::kHALF: return "f16";
    case DType::kBF16: return "bf16";
    case DType::kINT8: return "i8";
    case DType::kUINT8: return "u8";
    case DType::kINT32: return "i32";
    case DType::kINT64: return "i64";
    case DType::kBOOL: return "bool";
  }
  return "?";
}

}  // namespace emu
