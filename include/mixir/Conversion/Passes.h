//===- Passes.h - each target's lowering of the tiles -----------*- C++ -*-===//
//
// Declarations of the conversions from attn-tile's loop nests to a target
// (generated from Passes.td) and the pattern entry points they apply.
//
//===----------------------------------------------------------------------===//

#ifndef MIXIR_CONVERSION_PASSES_H
#define MIXIR_CONVERSION_PASSES_H

#include "mixir/Dialect/Attn/IR/AttnOps.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Pass/Pass.h"

namespace mixir {

#define GEN_PASS_DECL
#include "mixir/Conversion/Passes.h.inc"

/// What a key tile lacks for convert-attn-tiles-to-linalg ("with static
/// shapes", "of one batch row and one head with transposed keys", ...), or
/// nothing when it can be lowered.
std::optional<llvm::StringRef>
unsupportedLinalgTile(attn::PartialAttentionOp op);

/// Lowers one key tile of attn-tile's loops (one batch row, one head, static
/// shapes, transposed keys) to the online-softmax step on linalg ops;
/// failure, with nothing changed, when unsupportedLinalgTile says why not.
mlir::LogicalResult lowerAttentionTileToLinalg(mlir::RewriterBase &rewriter,
                                               attn::PartialAttentionOp op);

/// The pattern of convert-attn-tiles-to-linalg.
void populateAttnTilesToLinalgPatterns(mlir::RewritePatternSet &patterns);

#define GEN_PASS_REGISTRATION
#include "mixir/Conversion/Passes.h.inc"

} // namespace mixir

#endif // MIXIR_CONVERSION_PASSES_H
