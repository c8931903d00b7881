//===- DecompositionUtils.h - builders for the reference lowering -*- C++ -*-=//
//
// Small builders shared by the decomposition patterns of the attn ops: f32
// tensors, one-output linalg.generic ops, and the masked attention chain that
// attention, block-sparse, routed and Combiner attention all decompose into.
// Everything here works on static shapes (the patterns check that first).
//
//===----------------------------------------------------------------------===//

#ifndef MIXIR_DIALECT_ATTN_DECOMPOSITION_DECOMPOSITIONUTILS_H
#define MIXIR_DIALECT_ATTN_DECOMPOSITION_DECOMPOSITIONUTILS_H

#include "mixir/Dialect/Attn/IR/AttnOps.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/PatternMatch.h"

#include "llvm/ADT/STLFunctionalExtras.h"

#include <functional>

namespace mixir::attn::decompose {

/// Builds the yielded value of a generic's body from its block arguments
/// (the elements of the inputs, then of the init).
using BodyBuilder = std::function<mlir::Value(mlir::OpBuilder &, mlir::Location,
                                              mlir::ValueRange args)>;

/// Builds an i1 mask from the loop indices (index values) and the elements of
/// extra inputs.
using MaskBuilder =
    std::function<mlir::Value(mlir::OpBuilder &, mlir::Location,
                              mlir::ValueRange indices, mlir::ValueRange args)>;

/// Fails with a match-failure reason unless every operand and result of `op`
/// has a static shape.
mlir::LogicalResult requireStaticShapes(mlir::PatternRewriter &rewriter,
                                        mlir::Operation *op);

/// A tensor.empty of `shape` and `elementType`.
mlir::Value emptyTensor(mlir::OpBuilder &b, mlir::Location loc,
                        llvm::ArrayRef<int64_t> shape, mlir::Type elementType);

/// An f32 tensor of `shape` filled with `value` (linalg.fill).
mlir::Value filledTensor(mlir::OpBuilder &b, mlir::Location loc,
                         llvm::ArrayRef<int64_t> shape, double value);

/// A tensor of `shape` filled with the constant `value` (of any type).
mlir::Value filledTensorOf(mlir::OpBuilder &b, mlir::Location loc,
                           llvm::ArrayRef<int64_t> shape,
                           mlir::TypedAttr value);

/// Static shape of a ranked tensor value.
llvm::ArrayRef<int64_t> shapeOf(mlir::Value value);

/// The rank-reduced slice of `x` at `offsets` with sizes `sizes` (1 in the
/// dims that are dropped), of type `resultShape`.
mlir::Value sliceOf(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x,
                    llvm::ArrayRef<mlir::OpFoldResult> offsets,
                    llvm::ArrayRef<int64_t> sizes,
                    llvm::ArrayRef<int64_t> resultShape);

/// acc / l of a finished softmax state, 0 where l = 0 (a row with no
/// allowed key), f32.
mlir::Value normalizedOutput(mlir::OpBuilder &b, mlir::Location loc,
                             mlir::Value acc, mlir::Value rowSum);

/// lse = m + log l of a finished softmax state; -inf where m = -inf (then
/// l = 0 too).
mlir::Value logSumExp(mlir::OpBuilder &b, mlir::Location loc,
                      mlir::Value rowMax, mlir::Value rowSum);

/// An f32 constant.
mlir::Value f32Constant(mlir::OpBuilder &b, mlir::Location loc, double value);

/// An i64 constant.
mlir::Value i64Constant(mlir::OpBuilder &b, mlir::Location loc, int64_t value);

/// Extends a float scalar to f32 (no-op for f32).
mlir::Value toF32(mlir::OpBuilder &b, mlir::Location loc, mlir::Value value);

/// Converts an f32 scalar to `type` (truncf, or no-op for f32).
mlir::Value fromF32(mlir::OpBuilder &b, mlir::Location loc, mlir::Value value,
                    mlir::Type type);

/// An index value as i64, for signed arithmetic on positions.
mlir::Value indexToI64(mlir::OpBuilder &b, mlir::Location loc,
                       mlir::Value index);

/// Loop index `dim` of the enclosing linalg.generic, as i64.
mlir::Value loopIndex(mlir::OpBuilder &b, mlir::Location loc, unsigned dim);

/// A linalg.generic with one output. `maps` holds the inputs' maps followed
/// by the output's; `iterators` has one entry per loop (all maps share the
/// loop count). Returns the result tensor.
mlir::Value buildGeneric(mlir::OpBuilder &b, mlir::Location loc,
                         mlir::ValueRange inputs, mlir::Value init,
                         llvm::ArrayRef<mlir::AffineMap> maps,
                         llvm::ArrayRef<mlir::utils::IteratorType> iterators,
                         const BodyBuilder &body);

/// Elementwise conversion of a float tensor to f32.
mlir::Value tensorToF32(mlir::OpBuilder &b, mlir::Location loc,
                        mlir::Value tensor);

/// Elementwise conversion of an f32 tensor to `elementType`.
mlir::Value tensorFromF32(mlir::OpBuilder &b, mlir::Location loc,
                          mlir::Value tensor, mlir::Type elementType);

/// Concatenates tensors of equal rank along `dim` (tensor.insert_slice into
/// a tensor.empty).
mlir::Value concatenate(mlir::OpBuilder &b, mlir::Location loc,
                        mlir::ValueRange tensors, unsigned dim);

/// The slice [offset, offset + size) of `tensor` along `dim`.
mlir::Value sliceAlong(mlir::OpBuilder &b, mlir::Location loc,
                       mlir::Value tensor, unsigned dim, int64_t offset,
                       int64_t size);

/// A 1-D i64 constant tensor.
mlir::Value i64Table(mlir::OpBuilder &b, mlir::Location loc,
                     llvm::ArrayRef<int64_t> values);

/// The masking of one attention problem: an i1 predicate over the loop
/// indices (b, h, i, j) of the [B, Hq, S, T] scores, which may read extra
/// tensors through maps over those four loops.
struct AttentionMask {
  llvm::SmallVector<mlir::Value> inputs;
  llvm::SmallVector<mlir::AffineMap> maps;
  /// Null means every position is allowed.
  MaskBuilder allowed;
};

/// One masked attention problem of the spec's form
/// `o = score(scale * q . k^T + bias, mask) . v` on static shapes
/// q [B, Hq, S, D], k [B, Hkv, T, D], v [B, Hkv, T, Dv] of any float type.
struct MaskedAttention {
  mlir::Value query, key, value;
  /// Optional, rank 4, each dim 1 or full.
  mlir::Value bias;
  double scale = 1.0;
  ScoreKind score = ScoreKind::softmax;
  double sigmoidBias = 0.0;
  AttentionMask mask;
  /// Element type of `out` (f32 for intermediate uses).
  mlir::Type outElementType;
  bool withLse = false;
};

struct MaskedAttentionResult {
  mlir::Value out;
  /// [B, Hq, S] f32 when requested.
  mlir::Value lse;
};

/// Builds the materialised masked attention: scores, masking, row max,
/// exponentials, row sum, P . V and the normalisation (softmax), or the
/// masked sigmoid and P . V (sigmoid). Fully masked rows give 0 and lse -inf.
MaskedAttentionResult buildMaskedAttention(mlir::OpBuilder &b,
                                           mlir::Location loc,
                                           const MaskedAttention &problem);

/// Everything the spec's allowed(b, h, i, j) of the attention ops depends on.
struct AttentionMaskParams {
  CausalMode causal = CausalMode::none;
  int64_t windowLeft = -1, windowRight = -1;
  /// The full lengths S and T, the valid lengths when no q_len/kv_len.
  int64_t queryLen = 0, keyLen = 0;
  bool hasKvLen = false, hasQLen = false, hasLayout = false;

  /// A window side as the rules take it: wider than any sequence clamped
  /// to 2^62 keys (the same mask: positions lie far below it), so that
  /// position +- window cannot overflow; -1 (unbounded) as it is.
  static int64_t clampedWindow(int64_t keys) {
    return keys < (int64_t(1) << 62) ? keys : int64_t(1) << 62;
  }

  /// Reads the mask attributes and lengths of an attention-like op.
  template <typename OpTy> static AttentionMaskParams get(OpTy op) {
    AttentionMaskParams params;
    params.causal = op.getCausal();
    if (std::optional<llvm::ArrayRef<int64_t>> window = op.getWindow()) {
      params.windowLeft = clampedWindow((*window)[0]);
      params.windowRight = clampedWindow((*window)[1]);
    }
    params.queryLen =
        mlir::cast<mlir::ShapedType>(op.getQuery().getType()).getDimSize(2);
    params.keyLen =
        mlir::cast<mlir::ShapedType>(op.getKey().getType()).getDimSize(2);
    params.hasKvLen = static_cast<bool>(op.getKvLen());
    params.hasQLen = static_cast<bool>(op.getQLen());
    return params;
  }

  /// True when no position is masked by causality, window or lengths.
  bool isUnmasked() const {
    return causal == CausalMode::none && windowLeft < 0 && windowRight < 0 &&
           !hasKvLen && !hasQLen && !hasLayout;
  }
};

/// The keys the spec's mask leaves query position `i` (i64) of a batch row
/// with `validKeys` = Tb and `validQueries` = Sb (i64): j < Tb, i < Sb, the
/// causal alignment and the window leave one interval [first, end) of keys
/// (i64; empty when end <= first; `first` null without a left window, where
/// 0 serves: keys are never negative). The one definition of the attention
/// mask: buildSpecMask tests it per key, the GPU kernels turn it into a
/// row's bits per key tile.
struct KeyInterval {
  mlir::Value first, end;
};
KeyInterval buildSpecMaskInterval(mlir::OpBuilder &b, mlir::Location loc,
                                  const AttentionMaskParams &params,
                                  mlir::Value i, mlir::Value validKeys,
                                  mlir::Value validQueries);

/// The spec's allowed(b, i, j) for query position `i` and key position `j`
/// (i64) of a batch row with `validKeys` = Tb and `validQueries` = Sb (i64):
/// first <= j < end of buildSpecMaskInterval. Shared by the reference and
/// the tiled lowerings.
mlir::Value buildSpecMask(mlir::OpBuilder &b, mlir::Location loc,
                          const AttentionMaskParams &params, mlir::Value i,
                          mlir::Value j, mlir::Value validKeys,
                          mlir::Value validQueries);

/// The routing of attn.routed_attention: rank[b, n, m] (i64) is the number
/// of key regions that beat region m for query region n (larger affinity, or
/// equal affinity and a lower index); region m is routed to n iff
/// rank < topk. Region means and affinities are computed in f64.
mlir::Value buildRoutingRanks(mlir::OpBuilder &b, mlir::Location loc,
                              RoutedAttentionOp op);

/// routed[b, n, m] (i1): the same rule as rank < topk, by topk selection
/// passes over each row of affinities (O(topk R^2) instead of the ranks'
/// O(R^3)): each pass takes the first region after the last one taken in
/// the order "larger affinity, then lower index".
mlir::Value buildRoutedLayout(mlir::OpBuilder &b, mlir::Location loc,
                              RoutedAttentionOp op);
mlir::Value buildRoutedLayout(mlir::OpBuilder &b, mlir::Location loc,
                              RoutingLayoutOp op);

/// Intervals of keys [first, end) (i64 pairs).
using KeyIntervals = llvm::SmallVector<std::pair<mlir::Value, mlir::Value>>;

/// Whether key `j` (i64) lies in one of `intervals`.
mlir::Value inKeyIntervals(mlir::OpBuilder &b, mlir::Location loc,
                           const KeyIntervals &intervals, mlir::Value j);

/// The keys of query position `i` (i64) over the fixed Combiner's extended
/// key axis [k; kbar], as intervals: the own segment's direct keys (up to i
/// when causal), then the abstractions n (keys A + n, A =
/// `abstractionStart`) of the earlier segments (causal), or of every other
/// segment (two intervals around the own one).
KeyIntervals fixedCombinerKeyIntervals(mlir::OpBuilder &b, mlir::Location loc,
                                       int64_t block, int64_t length,
                                       int64_t abstractionStart, bool causal,
                                       mlir::Value i);

/// The fixed Combiner's mask over the extended key axis [k; kbar] for query
/// position `i` and extended key `j` (i64): a direct key j < L in the own
/// segment (and j <= i when causal), or the abstraction n = j - A of an
/// earlier segment (causal) or of any other segment (not causal), where the
/// abstractions start at A = `abstractionStart` >= L (L, or L padded to
/// whole key tiles); keys between L and A and past the last abstraction
/// (padding) are masked: j in fixedCombinerKeyIntervals. Shared by the
/// reference and the tiled lowerings.
mlir::Value buildFixedCombinerMask(mlir::OpBuilder &b, mlir::Location loc,
                                   int64_t block, int64_t length,
                                   int64_t abstractionStart, bool causal,
                                   mlir::Value i, mlir::Value j);

/// The default scale 1/sqrt(D) unless the op gives one.
double scaleOrDefault(mlir::FloatAttr scale, int64_t headDim);

/// Builds exp of an f32 scalar or vector: math.exp, unless a target gives
/// its own (a GPU kernel builds it from ex2).
using ExpBuilder = llvm::function_ref<mlir::Value(mlir::OpBuilder &,
                                                  mlir::Location, mlir::Value)>;

/// math.exp.
mlir::Value naturalExp(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x);

/// The sigmoid score 1 / (1 + exp(-(x + bias))) of a scaled logit (f32).
mlir::Value sigmoidScore(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x,
                         double bias, ExpBuilder exp = naturalExp);

/// The tokens of one region of a routed attention op (1-D or 2-D).
int64_t tokensPerRegion(RoutedAttentionOp op);
int64_t tokensPerRegion(RoutingLayoutOp op);

/// The largest divisor of `size` that is at most `cap` (at least 1).
int64_t divisorAtMost(int64_t size, int64_t cap);

// The decomposition patterns of each op family (one file each).
void populateAttentionDecompositionPatterns(mlir::RewritePatternSet &patterns);
void populateRoutedAttentionDecompositionPatterns(
    mlir::RewritePatternSet &patterns);
void populateCombinerDecompositionPatterns(mlir::RewritePatternSet &patterns);
void populatePoolMixDecompositionPatterns(mlir::RewritePatternSet &patterns);
/// attn.pool_mix in O(L C) (streaming max-pooling), for attn-tile.
void populatePoolMixStreamingPatterns(mlir::RewritePatternSet &patterns);
void populateHyenaDecompositionPatterns(mlir::RewritePatternSet &patterns);

} // namespace mixir::attn::decompose

#endif // MIXIR_DIALECT_ATTN_DECOMPOSITION_DECOMPOSITIONUTILS_H
