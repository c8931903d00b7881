//===- Passes.h - the reference decomposition -------------------*- C++ -*-===//
//
// Declaration of attn-decompose (generated from Passes.td) and the patterns it
// applies.
//
//===----------------------------------------------------------------------===//

#ifndef MIXIR_DIALECT_ATTN_DECOMPOSITION_PASSES_H
#define MIXIR_DIALECT_ATTN_DECOMPOSITION_PASSES_H

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
#include "mixir/Dialect/Attn/Decomposition/Passes.h.inc"

/// Patterns that rewrite each attn op into upstream ops on tensors (the
/// reference decomposition, see the attn-decompose pass).
void populateAttnDecompositionPatterns(mlir::RewritePatternSet &patterns);

#define GEN_PASS_REGISTRATION
#include "mixir/Dialect/Attn/Decomposition/Passes.h.inc"

} // namespace mixir::attn

#endif // MIXIR_DIALECT_ATTN_DECOMPOSITION_PASSES_H
