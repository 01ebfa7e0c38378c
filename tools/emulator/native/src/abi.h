// The one place that pulls in the generated ABI header and picks the major
// this library presents. Every other file reaches TensorRT's slot numbers and
// enum values through `trt_abi::V10` / `trt_abi::V11` (templates) or `Abi`.
#pragma once

#include "trt_abi.generated.h"

#define EMU_EXPORT extern "C" __attribute__((visibility("default")))

namespace emu {

// `Abi`, the table this library presents, exists only in the translation
// units built per major (entry.cpp); the shared core cannot use it by mistake.
#if defined(TRT_EMU_MAJOR)
#if TRT_EMU_MAJOR == 10
using Abi = trt_abi::V10;
#elif TRT_EMU_MAJOR == 11
using Abi = trt_abi::V11;
#else
#error "TRT_EMU_MAJOR must be 10 or 11"
#endif
#endif

using trt_abi::Dims64;

// The core (plan, shapes, execution) works with plain int32 enum values. That
// is only sound while both majors agree on the values it uses; if a future
// table changes one, these asserts point at the spot to template.
#define EMU_SAME_ENUM(E, N) \
  static_assert(static_cast<int32_t>(trt_abi::V10::E::N) == static_cast<int32_t>(trt_abi::V11::E::N), #E "::" #N)
EMU_SAME_ENUM(DataType, kFLOAT);
EMU_SAME_ENUM(DataType, kHALF);
EMU_SAME_ENUM(DataType, kINT8);
EMU_SAME_ENUM(DataType, kINT32);
EMU_SAME_ENUM(DataType, kBOOL);
EMU_SAME_ENUM(DataType, kUINT8);
EMU_SAME_ENUM(DataType, kBF16);
EMU_SAME_ENUM(DataType, kINT64);
EMU_SAME_ENUM(Severity, kINTERNAL_ERROR);
EMU_SAME_ENUM(Severity, kERROR);
EMU_SAME_ENUM(Severity, kWARNING);
EMU_SAME_ENUM(Severity, kINFO);
EMU_SAME_ENUM(Severity, kVERBOSE);
EMU_SAME_ENUM(ExecutionContextAllocationStrategy, kSTATIC);
EMU_SAME_ENUM(ExecutionContextAllocationStrategy, kON_PROFILE_CHANGE);
EMU_SAME_ENUM(ExecutionContextAllocationStrategy, kUSER_MANAGED);
EMU_SAME_ENUM(ProfilingVerbosity, kLAYER_NAMES_ONLY);
EMU_SAME_ENUM(ProfilingVerbosity, kNONE);
EMU_SAME_ENUM(ProfilingVerbosity, kDETAILED);
EMU_SAME_ENUM(LayerInformationFormat, kONELINE);
EMU_SAME_ENUM(LayerInformationFormat, kJSON);
EMU_SAME_ENUM(OptProfileSelector, kMIN);
EMU_SAME_ENUM(OptProfileSelector, kOPT);
EMU_SAME_ENUM(OptProfileSelector, kMAX);
EMU_SAME_ENUM(TensorIOMode, kNONE);
EMU_SAME_ENUM(TensorIOMode, kINPUT);
EMU_SAME_ENUM(TensorIOMode, kOUTPUT);
EMU_SAME_ENUM(TensorLocation, kDEVICE);
EMU_SAME_ENUM(TensorFormat, kLINEAR);
#undef EMU_SAME_ENUM

// Severity values as the core uses them (same in every major, see above).
enum class Severity : int32_t { kINTERNAL_ERROR = 0, kERROR = 1, kWARNING = 2, kINFO = 3, kVERBOSE = 4 };

enum class AllocStrategy : int32_t { kSTATIC = 0, kON_PROFILE_CHANGE = 1, kUSER_MANAGED = 2 };

}  // namespace emu
