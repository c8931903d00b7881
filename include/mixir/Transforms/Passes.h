//===- Passes.h - Mixir passes outside the attn dialect ---------*- C++ -*-===//
//
// Declarations of the generic Mixir passes (generated from Passes.td).
//
//===----------------------------------------------------------------------===//

#ifndef MIXIR_TRANSFORMS_PASSES_H
#define MIXIR_TRANSFORMS_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mixir {

#define GEN_PASS_DECL
#include "mixir/Transforms/Passes.h.inc"

/// Prefix of the private implementation functions that
/// mixir-export-c-functions wraps.
inline constexpr llvm::StringLiteral kImplementationPrefix = "__mixir_impl_";

#define GEN_PASS_REGISTRATION
#include "mixir/Transforms/Passes.h.inc"

} // namespace mixir

#endif // MIXIR_TRANSFORMS_PASSES_H
