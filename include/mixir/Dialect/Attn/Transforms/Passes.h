//===- Passes.h - attn dialect transformation passes ------------*- C++ -*-===//
//
// Declarations of the attn passes (generated from Passes.td) and the pattern
// entry points they are built from.
//
//===----------------------------------------------------------------------===//

#ifndef MIXIR_DIALECT_ATTN_TRANSFORMS_PASSES_H
#define MIXIR_DIALECT_ATTN_TRANSFORMS_PASSES_H

#include "mixir/Dialect/Attn/IR/AttnDialect.h"

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
#include "mixir/Dialect/Attn/Transforms/Passes.h.inc"

/// Patterns that rewrite each attn op into upstream ops on tensors (the
/// reference decomposition, see the attn-decompose pass).
void populateAttnDecompositionPatterns(mlir::RewritePatternSet &patterns);

/// The fast-path patterns of the attn-tile pass: flash-style tiling of the
/// attention ops, streaming PoNet, FFT Hyena from `hyenaFFTMinLength` on.
void populateAttnTilingPatterns(mlir::RewritePatternSet &patterns,
                                int64_t queryTile, int64_t keyTile,
                                int64_t hyenaFFTMinLength);

#define GEN_PASS_REGISTRATION
#include "mixir/Dialect/Attn/Transforms/Passes.h.inc"

} // namespace mixir::attn

#endif // MIXIR_DIALECT_ATTN_TRANSFORMS_PASSES_H
