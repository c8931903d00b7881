//===- CNames.h - checks on names that go into generated C ------*- C++ -*-===//
//
// The kernel bundles and the host code put names the compiler chose (kernel
// bases, parameters, functions, buffers) into C source. These checks keep
// them valid C identifiers that no C keyword or generated local shadows.
//
//===----------------------------------------------------------------------===//

#ifndef MIXIR_LIB_TARGET_GPU_CNAMES_H
#define MIXIR_LIB_TARGET_GPU_CNAMES_H

#include "llvm/ADT/StringRef.h"

#include <string>

namespace mixir::gpu::detail {

/// `name` is an ASCII C identifier ([A-Za-z_][A-Za-z0-9_]*) and not a C99/C11
/// keyword.
bool isCIdentifier(llvm::StringRef name);

/// `name` uppercased, with every character that cannot be in a macro name
/// replaced by '_' (for include guards).
std::string macroName(llvm::StringRef name);

} // namespace mixir::gpu::detail

#endif // MIXIR_LIB_TARGET_GPU_CNAMES_H
