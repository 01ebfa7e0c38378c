# ctest helper: the library exports exactly TensorRT's C entry points plus
# trtEmulatorInfo, trtEmulatorMatmulBackend and the trtEmulatorRuntimeCache* functions
# (native/exports.map), and nothing else.
execute_process(COMMAND ${NM} -D --defined-only ${LIB} OUTPUT_VARIABLE out RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "nm failed on ${LIB}")
endif()
string(REGEX MATCHALL "[^\n]+" lines "${out}")
set(found "")
foreach(line IN LISTS lines)
  string(REGEX REPLACE "^[0-9a-fA-F]* *[A-Za-z] " "" name "${line}")
  list(APPEND found ${name})
endforeach()
list(SORT found)
set(expected createInferRefitter_INTERNAL createInferRuntime_INTERNAL getInferLibBuildVersion
    getInferLibMajorVersion getInferLibMinorVersion getInferLibPatchVersion getInferLibVersion getLogger
    getPluginRegistry trtEmulatorInfo trtEmulatorMatmulBackend trtEmulatorRuntimeCacheCreate trtEmulatorRuntimeCacheDestroy
    trtEmulatorRuntimeCacheGet trtEmulatorRuntimeCacheSet trtEmulatorRuntimeCacheStats trtEmulatorRuntimeCacheUse)
list(SORT expected)
if(NOT found STREQUAL expected)
  message(FATAL_ERROR "exported symbols differ.\n expected: ${expected}\n found:    ${found}")
endif()
message(STATUS "exports ok: ${found}")
