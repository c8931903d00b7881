//===- RaiseMatchers.h - dialect-neutral views for attn-raise ---*- C++ -*-===//
//
// What attn-raise needs to know about an op, whatever dialect spells it:
// TOSA ops (explicit ops, implicit broadcasting of size-1 dims) and linalg
// structured ops (named or generic, broadcasting through indexing maps) are
// both read as elementwise computations, row reductions over the last axis,
// contractions, transposes of the last two dims and reshapes of the leading
// dims.
//
//===----------------------------------------------------------------------===//

#ifndef MIXIR_LIB_DIALECT_ATTN_TRANSFORMS_RAISEMATCHERS_H
#define MIXIR_LIB_DIALECT_ATTN_TRANSFORMS_RAISEMATCHERS_H

#include "mlir/IR/AffineMap.h"
#include "mlir/IR/Value.h"

#include <optional>

namespace mixir::attn::raise {

/// The scalar functions an elementwise op may apply.
enum class Fn { Exp, Add, Sub, Mul, Div, Reciprocal, Sigmoid, Select };

/// One operand of an elementwise computation: a tensor read through an
/// indexing map over the result's dims (a broadcast drops dims or reads
/// index 0 of a size-1 dim), or a scalar constant.
struct Operand {
  mlir::Value tensor;
  mlir::AffineMap map;
  /// The value of a scalar constant or of a tensor of one repeated value.
  std::optional<double> splat;

  /// Whether the tensor is read at the result's own index.
  bool isIdentity() const { return tensor && map.isIdentity(); }
};

/// An elementwise computation `fn(operands...)` producing a value.
struct Elementwise {
  Fn fn;
  llvm::SmallVector<Operand, 3> operands;
  mlir::Operation *op;
};

/// `value` as an elementwise computation (TOSA elementwise op, or linalg op
/// of parallel loops whose body applies one function to its operands).
std::optional<Elementwise> matchElementwise(mlir::Value value);

/// A maximum or a sum of `source` over its last dim.
struct RowReduction {
  bool isMax;
  mlir::Value source;
  mlir::Operation *op;
};

/// `value` as a row reduction: tosa.reduce_max/reduce_sum over the last axis
/// (size-1 last dim kept), or a linalg reduction of the last dim (the dim
/// dropped) from the identity of the reduction (-inf or 0).
std::optional<RowReduction> matchRowReduction(mlir::Value value);

/// The per-row tensor that `operand` broadcasts along the last dim of a
/// rank-`rank` elementwise result (`[..., S]` read through a map that drops
/// the last dim, `[..., S, 1]` with a kept size-1 dim, or the input of a
/// linalg.broadcast of the last dim); null otherwise.
mlir::Value matchRowBroadcast(const Operand &operand, int64_t rank);

/// `row` (`[..., S]` or `[..., S, 1]`) as a row reduction, through a reshape
/// that appends the size-1 dim.
std::optional<RowReduction> matchRowReductionOf(mlir::Value row);

/// A (batched) matrix product `lhs [..., M, K] . rhs` with `rhs` either
/// `[..., K, N]` or, when `rhsTransposed`, `[..., N, K]`.
struct Contraction {
  mlir::Value lhs, rhs;
  bool rhsTransposed;
  mlir::Operation *op;
};

/// `value` as a contraction: tosa.matmul with zero zero-points, or a linalg
/// contraction (matmul, batch_matmul, a generic) accumulating into zeros.
std::optional<Contraction> matchContraction(mlir::Value value);

/// The source of `value` when it is a reshape that only regroups the
/// leading dims and keeps the last two; null otherwise.
mlir::Value peelBatchReshape(mlir::Value value);

/// The source of `value` when it swaps the last two dims of it and keeps
/// the others in place; null otherwise.
mlir::Value peelLastTwoTranspose(mlir::Value value);

/// For `value [B, H, T, D]` that repeats each head of `source [B, Hkv, T,
/// D]` H / Hkv times in a row (head h reads h / (H / Hkv)): `source`; null
/// otherwise.
mlir::Value peelHeadRepeat(mlir::Value value);

/// The value of `operand` at the score position (i, j) of a rank-`rank`
/// result (leading indices 0), when it is a constant or a linalg op of
/// positions only (linalg.index, constants, integer arithmetic, compares,
/// selects); the operand must not vary along the leading dims. Fills `out`
/// row-major with S * T values; fails when the operand is not such a value.
mlir::LogicalResult evaluateScoreGrid(const Operand &operand, int64_t rank,
                                      int64_t rows, int64_t cols,
                                      llvm::SmallVectorImpl<double> &out);

/// Whether `value` depends on `op` (is computed from one of its results).
bool dependsOn(mlir::Value value, mlir::Operation *op);

} // namespace mixir::attn::raise

#endif // MIXIR_LIB_DIALECT_ATTN_TRANSFORMS_RAISEMATCHERS_H
