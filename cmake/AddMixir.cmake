# Thin wrappers over MLIR's CMake helpers so that every Mixir library and tool
# is declared the same way. Everything links the one shared libMLIR.so (and
# through it libLLVM.so): mixing in MLIR's static archives would register
# dialects and command-line options twice.

# add_mixir_library(name sources... [DEPENDS targets] [LINK_LIBS libs])
function(mixir_check_link_libs name)
  foreach(lib IN LISTS ARGN)
    if(lib MATCHES "^MLIR.")
      message(FATAL_ERROR "${name} links ${lib}, one of MLIR's static archives:"
        " everything MLIR has is in libMLIR.so (target MLIR), and a second copy"
        " of its code gives two contexts' worth of registries and TypeIDs")
    endif()
  endforeach()
endfunction()

function(add_mixir_library name)
  cmake_parse_arguments(ARG "" "" "DEPENDS;LINK_LIBS" ${ARGN})
  mixir_check_link_libs(${name} ${ARG_LINK_LIBS})
  add_mlir_library(${name} ${ARG_UNPARSED_ARGUMENTS}
    EXCLUDE_FROM_LIBMLIR DISABLE_INSTALL
    DEPENDS ${ARG_DEPENDS})
  target_link_libraries(${name} PUBLIC MLIR ${ARG_LINK_LIBS})
endfunction()

# add_mixir_tool(name sources... [LINK_LIBS libs])
function(add_mixir_tool name)
  cmake_parse_arguments(ARG "" "" "LINK_LIBS" ${ARGN})
  mixir_check_link_libs(${name} ${ARG_LINK_LIBS})
  add_llvm_executable(${name} ${ARG_UNPARSED_ARGUMENTS})
  llvm_update_compile_flags(${name})
  target_link_libraries(${name} PRIVATE MLIR ${ARG_LINK_LIBS})
  set_property(GLOBAL APPEND PROPERTY MIXIR_TOOLS ${name})
endfunction()
