# The sanitizer build of the compiler, the runner and the tests:
#   -DMIXIR_SANITIZE=address,undefined   (or one of them)
#   -DMIXIR_FUZZ=ON                       also instrument for libFuzzer and
#                                         build the fuzz targets (test/fuzz)
# Both map onto LLVM's LLVM_USE_SANITIZER / LLVM_USE_SANITIZE_COVERAGE, which
# HandleLLVMOptions applies to every target; it must be included after this.
# The LLVM and MLIR libraries themselves stay uninstrumented (Debian's), so
# reports cover Mixir's code and what it hands to them.
set(MIXIR_SANITIZE "" CACHE STRING
    "Sanitizers to build with: address, undefined, or address,undefined")
option(MIXIR_FUZZ "Instrument for libFuzzer and build the fuzz targets (clang, with MIXIR_SANITIZE)" OFF)

set(MIXIR_SANITIZE_FLAGS "")
if(MIXIR_SANITIZE)
  string(REPLACE "," ";" _mixir_sanitizers "${MIXIR_SANITIZE}")
  set(_mixir_llvm_sanitizers "")
  foreach(_sanitizer IN LISTS _mixir_sanitizers)
    if(_sanitizer STREQUAL "address")
      list(APPEND _mixir_llvm_sanitizers Address)
    elseif(_sanitizer STREQUAL "undefined")
      list(APPEND _mixir_llvm_sanitizers Undefined)
    else()
      message(FATAL_ERROR "MIXIR_SANITIZE: unknown sanitizer '${_sanitizer}' "
                          "(known: address, undefined)")
    endif()
  endforeach()
  list(REMOVE_DUPLICATES _mixir_llvm_sanitizers)
  set(LLVM_USE_SANITIZER "${_mixir_llvm_sanitizers}")
  # LLVM's own build defines these flags; an out-of-tree build must. vptr
  # needs RTTI, which LLVM is built without; the function check would flag
  # every call into JIT-compiled code, which carries no type signature.
  if(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    set(LLVM_UBSAN_FLAGS "-fsanitize=undefined -fno-sanitize=vptr,function -fno-sanitize-recover=all")
  else()
    set(LLVM_UBSAN_FLAGS "-fsanitize=undefined -fno-sanitize=vptr -fno-sanitize-recover=all")
  endif()
  # MIXIR_SANITIZE_FLAGS: what a test compiling a C or C++ program against
  # our instrumented libraries must add (lit's %cc and %cxx).
  if("address" IN_LIST _mixir_sanitizers)
    add_compile_options(
      "SHELL:-include ${CMAKE_CURRENT_LIST_DIR}/NoLLVMAllocatorPoisoning.h")
    string(APPEND MIXIR_SANITIZE_FLAGS " -fsanitize=address")
  endif()
  if("undefined" IN_LIST _mixir_sanitizers)
    string(APPEND MIXIR_SANITIZE_FLAGS " ${LLVM_UBSAN_FLAGS}")
  endif()
  string(STRIP "${MIXIR_SANITIZE_FLAGS}" MIXIR_SANITIZE_FLAGS)
endif()

if(MIXIR_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang" OR NOT MIXIR_SANITIZE)
    message(FATAL_ERROR "MIXIR_FUZZ needs clang (libFuzzer) and MIXIR_SANITIZE")
  endif()
  set(LLVM_USE_SANITIZE_COVERAGE ON)
endif()
