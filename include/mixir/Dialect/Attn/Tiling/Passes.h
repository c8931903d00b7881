//===- Passes.h - target-independent tiling ---------------------*- C++ -*-===//
//
// Declarations of attn-tile and attn-fuse (generated from Passes.td) and the
// patterns attn-tile applies.
//
//===----------------------------------------------------------------------===//

#ifndef MIXIR_DIALECT_ATTN_TILING_PASSES_H
#define MIXIR_DIALECT_ATTN_TILING_PASSES_H

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
#include "mixir/Dialect/Attn/Tiling/Passes.h.inc"

/// The patterns of attn-tile: flash-style loop nests of the attention ops
/// (their key tiles left for the target's lowering), streaming PoNet, FFT
/// Hyena, each with the tile configuration of its op's nearest enclosing op
/// that has one (TileConfigAttr::lookup; the pass checks they all have one).
void populateAttnTilingPatterns(mlir::RewritePatternSet &patterns);

#define GEN_PASS_REGISTRATION
#include "mixir/Dialect/Attn/Tiling/Passes.h.inc"

} // namespace mixir::attn

#endif // MIXIR_DIALECT_ATTN_TILING_PASSES_H
