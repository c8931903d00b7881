//===- TileEngine.h - the flash-style tile engine of attn-tile --*- C++ -*-===//
//
// The one online-softmax tile loop behind attn-tile: attention, block-sparse,
// routed and Combiner attention all describe their problem as a
// TiledAttention (tile sizes, key ranges per query tile, masks) and call
// buildTiledAttention.
//
//===----------------------------------------------------------------------===//

#ifndef MIXIR_LIB_DIALECT_ATTN_TILING_TILEENGINE_H
#define MIXIR_LIB_DIALECT_ATTN_TILING_TILEENGINE_H

#include "mixir/Dialect/Attn/Tiling/TileRules.h"

#include <functional>

namespace mixir::attn::tile {

/// One attention problem to tile, with everything the loop bodies need.
struct TiledAttention {
  int64_t batch, queryHeads, queryLen, headDim, keyLen, valueDim, group;
  int64_t queryTile, keyTile;
  mlir::Type elementType;
  double scale, sigmoidBias;
  bool softmax, withLse;
  decompose::AttentionMaskParams mask;
  /// Padded to whole tiles when the tile configuration asks for it; the
  /// keys [B, Hkv, T, D], or [B, Hkv, D, T] when `keysTransposed`.
  mlir::Value query, key, value, bias;
  bool keysTransposed = true;
  mlir::Value kvLen, qLen, layout;
  /// The layout is indexed by batch (routed attention) instead of by head.
  bool layoutPerBatch = false;
  /// The layout's block sizes [bq, bk]: multiples of the tiles (each tile
  /// in one block), or, with an unpadded configuration whose target masks
  /// per element (the GPU's), any sizes; 0: the tiles'.
  int64_t layoutQueryBlock = 0, layoutKeyBlock = 0;
  /// The key ranges [lo, hi) (i64) each query tile visits, in order; null
  /// means the spec's bounds from causal, window, kv_len and q_len.
  std::function<llvm::SmallVector<std::pair<mlir::Value, mlir::Value>>(
      mlir::OpBuilder &, mlir::Location, mlir::Value tileIndex)>
      keyRanges;
  /// The keys query i (i64) may see, as intervals [first, end) (i64), on
  /// top of the spec's mask; null: the spec's mask alone.
  std::function<llvm::SmallVector<std::pair<mlir::Value, mlir::Value>>(
      mlir::OpBuilder &, mlir::Location, mlir::Value i)>
      keyIntervals;
  /// Return the unnormalised state (acc, m, l) of every query row, f32,
  /// instead of (out[, lse]): partials over a subset of the keys, to be
  /// merged with others (the spec's split-KV merge). Softmax only.
  bool partial = false;
};

/// Builds the tiled computation: an scf.forall over (batch, query head,
/// query tile) and, inside, an scf.for over the key tiles. Returns (out,
/// lse) (lse when withLse), or (acc, m, l) when `partial`; rows padded to
/// whole query tiles are dropped.
llvm::SmallVector<mlir::Value> buildTiledAttention(mlir::RewriterBase &rewriter,
                                                   mlir::Location loc,
                                                   const TiledAttention &p);

/// `x` zero-padded at the end of each dim to `shape`.
mlir::Value padTo(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x,
                  llvm::ArrayRef<int64_t> shape);

/// [..., M, N] -> [..., N, M] (rank 4).
mlir::Value transposeLastTwo(mlir::OpBuilder &b, mlir::Location loc,
                             mlir::Value x);

/// Sets the keys of `p` from `key` [B, Hkv, T, D] in the layout the tile
/// configuration asks for: transposed once to [B, Hkv, D, T], or as given.
void setKeys(mlir::OpBuilder &b, mlir::Location loc, TiledAttention &p,
             mlir::Value key, TileConfigAttr config);

int64_t roundUp(int64_t value, int64_t multiple);

/// attn.hyena by FFT convolution, O(L log L), from the configuration's
/// hyena_fft_min_length on.
void populateHyenaFFTPatterns(mlir::RewritePatternSet &patterns);

/// attn.combiner (all variants) on the engine.
void populateCombinerTilingPatterns(mlir::RewritePatternSet &patterns);

} // namespace mixir::attn::tile

#endif // MIXIR_LIB_DIALECT_ATTN_TILING_TILEENGINE_H
