//===- Passes.h - target selection passes -----------------------*- C++ -*-===//
//
// Declaration of mixir-configure-target (generated from Passes.td).
//
//===----------------------------------------------------------------------===//

#ifndef MIXIR_TARGET_PASSES_H
#define MIXIR_TARGET_PASSES_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mixir {

#define GEN_PASS_DECL
#include "mixir/Target/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "mixir/Target/Passes.h.inc"

} // namespace mixir

#endif // MIXIR_TARGET_PASSES_H
