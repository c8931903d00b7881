//===- Passes.h - raising attention out of graphs ---------------*- C++ -*-===//
//
// Declaration of attn-raise (generated from Passes.td).
//
//===----------------------------------------------------------------------===//

#ifndef MIXIR_DIALECT_ATTN_RAISING_PASSES_H
#define MIXIR_DIALECT_ATTN_RAISING_PASSES_H

#include "mixir/Dialect/Attn/IR/AttnDialect.h"
#include "mixir/Dialect/Attn/IR/AttnOps.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Pass/Pass.h"

namespace mixir::attn {

#define GEN_PASS_DECL
#include "mixir/Dialect/Attn/Raising/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "mixir/Dialect/Attn/Raising/Passes.h.inc"

} // namespace mixir::attn

#endif // MIXIR_DIALECT_ATTN_RAISING_PASSES_H
