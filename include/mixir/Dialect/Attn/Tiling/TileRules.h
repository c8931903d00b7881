//===- TileRules.h - rules shared by every target's tiles -------*- C++ -*-===//
//
// One definition each of what the tiles of the attention engine must agree on
// whatever the target lowers them to: where a tile lies and which keys its
// queries may see (the key bounds that narrow the key loop), whether a whole
// tile is allowed (so that it may skip the per-element mask), the
// online-softmax update of a row's state, and the merge of two partial
// states. attn-tile builds the loops with them; the CPU's and the GPU's tile
// lowerings build their tiles with them. Everything is built from arith ops
// on scalars or vectors, so a linalg body and a GPU kernel use the same
// builders.
//
//===----------------------------------------------------------------------===//

#ifndef MIXIR_DIALECT_ATTN_TILING_TILERULES_H
#define MIXIR_DIALECT_ATTN_TILING_TILERULES_H

#include "mixir/Dialect/Attn/Decomposition/DecompositionUtils.h"

#include "llvm/ADT/STLFunctionalExtras.h"

namespace mixir::attn::tile {

/// The unit attribute that marks the parallel loop of a flash-style loop
/// nest of attn-tile, for attn-fuse and the targets' tile lowerings.
inline constexpr llvm::StringLiteral kFlashLoopAttrName = "attn.flash_loop";

/// The mask attributes of a partial_attention op, with its whole lengths.
decompose::AttentionMaskParams maskParamsOf(PartialAttentionOp op);

/// Where a tile of the (batch, head, query, key) iteration space lies, and
/// the valid lengths of its batch row.
struct TilePlacement {
  /// The tile's first batch row, query head, query and key (index).
  mlir::Value batch, head, queryStart, keyStart;
  /// Tb and Sb of the batch row (i64).
  mlir::Value validKeys, validQueries;
  /// off(b) of the bottom-right alignment, 0 otherwise (i64).
  mlir::Value diagonalOffset;

  /// From the tile's position and its row's kv_len and q_len (i64, or null
  /// when the op has none: then the full lengths of `mask`).
  static TilePlacement get(mlir::OpBuilder &b, mlir::Location loc,
                           const decompose::AttentionMaskParams &mask,
                           mlir::Value batch, mlir::Value head,
                           mlir::Value queryStart, mlir::Value keyStart,
                           mlir::Value kvLen, mlir::Value qLen);
  /// Of a partial_attention op on tensors: its offsets (the origin when it
  /// has none) and its kv_len / q_len tensors read at its batch row.
  static TilePlacement get(mlir::OpBuilder &b, mlir::Location loc,
                           PartialAttentionOp op);
};

/// The first and end key (i64) that queries [queryStart, queryStart + rows)
/// may see under the spec's masks (causal alignment, window, kv_len; a tile
/// entirely past q_len sees none); end <= first means none.
std::pair<mlir::Value, mlir::Value>
keyBounds(mlir::OpBuilder &b, mlir::Location loc,
          const decompose::AttentionMaskParams &mask, const TilePlacement &at,
          int64_t rows);

/// The key loop over whole tiles of `keyTile` keys covering [lo, hi) (i64):
/// (first, end) as index, empty when hi <= lo.
std::pair<mlir::Value, mlir::Value>
keyTileLoopBounds(mlir::OpBuilder &b, mlir::Location loc, mlir::Value lo,
                  mlir::Value hi, int64_t keyTile);

/// Whether some tile of `keyTile` keys may need the per-element mask: a rule
/// of the spec masks (causal, window, kv_len, q_len), or the keys end inside
/// a tile (border tiles read past the last key). Otherwise no tile does.
bool mayNeedElementMask(const decompose::AttentionMaskParams &mask,
                        int64_t keyTile);

/// Whether every (query, key) pair of the rows x cols tile at `at` is
/// allowed by the spec's masks (a layout and a mask region aside), i1.
mlir::Value isWholeTileAllowed(mlir::OpBuilder &b, mlir::Location loc,
                               const decompose::AttentionMaskParams &mask,
                               const TilePlacement &at, int64_t rows,
                               int64_t cols);

/// Builds exp (DecompositionUtils.h): math.exp on the CPU; a GPU kernel
/// working in base 2 (its logits prescaled by log2 e) passes ex2.
using decompose::ExpBuilder;
using decompose::naturalExp;

/// exp(x - m), with m replaced by 0 where it is -inf (a row with nothing
/// allowed yet), so that masked logits (-inf) give 0 and never NaN.
mlir::Value shiftedExp(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x,
                       mlir::Value rowMax, ExpBuilder exp = naturalExp);

/// One online-softmax update of a row's state by a tile whose row maximum
/// is `tileMax`: the new maximum m' = max(m, tileMax) and the factor
/// a = exp(m - m') (0 while m = -inf) that rescales l and acc; then
/// p = shiftedExp(x, m'), l' = a l + rowsum p, acc' = a acc + p v.
struct OnlineSoftmaxUpdate {
  mlir::Value newMax, rescale;
};
OnlineSoftmaxUpdate onlineSoftmaxUpdate(mlir::OpBuilder &b, mlir::Location loc,
                                        mlir::Value rowMax, mlir::Value tileMax,
                                        ExpBuilder exp = naturalExp);

/// The weight e = exp(m - mMax) of one partial state (m, l, acc) in the
/// spec's split-KV merge with mMax = max over the merged states (0 when
/// m = -inf): l = sum e_k l_k, acc = sum e_k acc_k.
mlir::Value mergeWeight(mlir::OpBuilder &b, mlir::Location loc, mlir::Value m,
                        mlir::Value mMax, ExpBuilder exp = naturalExp);

} // namespace mixir::attn::tile

#endif // MIXIR_DIALECT_ATTN_TILING_TILERULES_H
