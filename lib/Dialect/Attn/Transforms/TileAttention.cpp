//===- TileAttention.cpp - the attn-tile pass -----------------------------===//
//
// Flash-style tiling of attn.attention and attn.block_sparse_attention: a
// parallel loop over (batch, query head, query tile) and, inside, a loop over
// the key tiles that the masks leave, carrying the online-softmax state
// (acc, m, l). The S x T scores never exist; the extra memory is one tile of
// scores and the O(L) padding of Q, K and V to whole tiles.
//
//===----------------------------------------------------------------------===//

#include "mixir/Dialect/Attn/Transforms/Passes.h"

#include "DecompositionUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <limits>

namespace mixir::attn {
#define GEN_PASS_DEF_ATTNTILE
#include "mixir/Dialect/Attn/Transforms/Passes.h.inc"
} // namespace mixir::attn

using namespace mlir;
using namespace mixir::attn;
using namespace mixir::attn::decompose;

static constexpr double kNegInf = -std::numeric_limits<double>::infinity();

/// `x` zero-padded at the end of each dim to `shape`.
static Value padTo(OpBuilder &b, Location loc, Value x,
                   ArrayRef<int64_t> shape) {
  auto type = cast<RankedTensorType>(x.getType());
  if (type.getShape() == shape)
    return x;
  SmallVector<OpFoldResult> low(shape.size(), b.getIndexAttr(0)), high;
  for (auto [size, padded] : llvm::zip_equal(type.getShape(), shape))
    high.push_back(b.getIndexAttr(padded - size));
  Value zero =
      arith::ConstantOp::create(b, loc, b.getZeroAttr(type.getElementType()));
  return tensor::PadOp::create(
      b, loc, RankedTensorType::get(shape, type.getElementType()), x, low, high,
      zero);
}

/// The rank-reduced slice of `x` at `offsets` with sizes `sizes` (1 in the
/// dims that are dropped), of type `resultShape`.
static Value sliceOf(OpBuilder &b, Location loc, Value x,
                     ArrayRef<OpFoldResult> offsets, ArrayRef<int64_t> sizes,
                     ArrayRef<int64_t> resultShape) {
  auto type = cast<RankedTensorType>(x.getType());
  SmallVector<OpFoldResult> strides(sizes.size(), b.getIndexAttr(1));
  return tensor::ExtractSliceOp::create(
      b, loc, RankedTensorType::get(resultShape, type.getElementType()), x,
      offsets, getAsIndexOpFoldResult(b.getContext(), sizes), strides);
}

static Value indexConstant(OpBuilder &b, Location loc, int64_t value) {
  return arith::ConstantIndexOp::create(b, loc, value);
}

/// exp(x - m) with m replaced by 0 where it is -inf (an empty row).
static Value expShifted(OpBuilder &b, Location loc, Value x, Value rowMax) {
  Value isEmpty = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ,
                                        rowMax, f32Constant(b, loc, kNegInf));
  Value safeMax =
      arith::SelectOp::create(b, loc, isEmpty, f32Constant(b, loc, 0), rowMax);
  return math::ExpOp::create(b, loc, arith::SubFOp::create(b, loc, x, safeMax));
}

namespace {

/// One attention problem to tile, with everything the loop bodies need.
struct TiledAttention {
  int64_t batch, queryHeads, queryLen, headDim, keyLen, valueDim, group;
  int64_t queryTile, keyTile;
  Type elementType;
  double scale, sigmoidBias;
  bool softmax, withLse;
  AttentionMaskParams mask;
  /// Padded to whole tiles; the keys also transposed to [B, Hkv, D, T].
  Value query, keyTransposed, value, bias;
  Value kvLen, qLen, layout;
  /// The layout is indexed by batch (routed attention) instead of by head.
  bool layoutPerBatch = false;
  /// The key ranges [lo, hi) (i64) each query tile visits, in order; null
  /// means the spec's bounds from causal, window, kv_len and q_len.
  std::function<SmallVector<std::pair<Value, Value>>(OpBuilder &, Location,
                                                     Value tileIndex)>
      keyRanges;
  /// The mask on global positions (i64 query i, key j); null means the
  /// spec's mask.
  std::function<Value(OpBuilder &, Location, Value i, Value j)> customMask;
};

/// The state carried over key tiles: acc [Br, Dv], and for softmax the row
/// max m [Br] and row sum l [Br] (all f32).
struct TileState {
  Value acc, rowMax, rowSum;
  SmallVector<Value> values() const {
    SmallVector<Value> all = {acc};
    if (rowMax)
      all.append({rowMax, rowSum});
    return all;
  }
};

} // namespace

/// Whether some element of some tile may be masked out.
static bool needsElementMask(const TiledAttention &p) {
  return p.customMask || !p.mask.isUnmasked() || p.keyLen % p.keyTile != 0;
}

/// One step of the online softmax (or the sigmoid sum) over the key tile
/// starting at `keyStart` for the query tile starting at `queryStart`.
static TileState buildKeyTileStep(OpBuilder &b, Location loc,
                                  const TiledAttention &p, Value batchIndex,
                                  Value headIndex, Value kvHead,
                                  Value queryTile, Value queryStart,
                                  Value keyStart, Value validKeys,
                                  Value validQueries, const TileState &state,
                                  bool applyMask) {
  MLIRContext *ctx = b.getContext();
  int64_t br = p.queryTile, bc = p.keyTile;
  using utils::IteratorType;
  const IteratorType par = IteratorType::parallel;
  const IteratorType red = IteratorType::reduction;
  AffineExpr d0, d1, d2;
  bindDims(ctx, d0, d1, d2);
  auto map = [&](unsigned loops, ArrayRef<AffineExpr> exprs) {
    return AffineMap::get(loops, 0, exprs, ctx);
  };
  OpFoldResult zero = b.getIndexAttr(0);

  // K is stored transposed ([B, Hkv, D, T]) so that a row of the key tile
  // is contiguous along the keys.
  Value keyTile =
      sliceOf(b, loc, p.keyTransposed, {batchIndex, kvHead, zero, keyStart},
              {1, 1, p.headDim, bc}, {p.headDim, bc});
  Value valueTile =
      sliceOf(b, loc, p.value, {batchIndex, kvHead, keyStart, zero},
              {1, 1, bc, p.valueDim}, {bc, p.valueDim});

  // s[r, c] = sum_d q[r, d] k[c, d]                         loops (r, c, d)
  Value scores = buildGeneric(
      b, loc, {queryTile, keyTile}, filledTensor(b, loc, {br, bc}, 0),
      {map(3, {d0, d2}), map(3, {d2, d1}), map(3, {d0, d1})}, {par, par, red},
      [](OpBuilder &nb, Location nl, ValueRange a) -> Value {
        Value lhs = toF32(nb, nl, a[0]);
        Value rhs = toF32(nb, nl, a[1]);
        return arith::AddFOp::create(nb, nl, a[2],
                                     arith::MulFOp::create(nb, nl, lhs, rhs));
      });

  // x = scale * s + bias, masked: -inf (softmax) or 0 after the sigmoid.
  SmallVector<Value> inputs = {scores};
  SmallVector<AffineMap> maps = {map(2, {d0, d1})};
  if (p.bias) {
    ArrayRef<int64_t> shape = shapeOf(p.bias);
    bool rows = shape[2] != 1, cols = shape[3] != 1;
    Value biasTile = sliceOf(b, loc, p.bias,
                             {shape[0] == 1 ? zero : OpFoldResult(batchIndex),
                              shape[1] == 1 ? zero : OpFoldResult(headIndex),
                              rows ? OpFoldResult(queryStart) : zero,
                              cols ? OpFoldResult(keyStart) : zero},
                             {1, 1, rows ? br : 1, cols ? bc : 1},
                             {rows ? br : 1, cols ? bc : 1});
    inputs.push_back(biasTile);
    maps.push_back(map(2, {rows ? d0 : getAffineConstantExpr(0, ctx),
                           cols ? d1 : getAffineConstantExpr(0, ctx)}));
  }
  maps.push_back(map(2, {d0, d1}));
  bool needsMask = applyMask && needsElementMask(p);
  Value logits = buildGeneric(
      b, loc, inputs, emptyTensor(b, loc, {br, bc}, b.getF32Type()), maps,
      {par, par}, [&](OpBuilder &nb, Location nl, ValueRange a) -> Value {
        Value x =
            arith::MulFOp::create(nb, nl, a[0], f32Constant(nb, nl, p.scale));
        if (p.bias)
          x = arith::AddFOp::create(nb, nl, x, toF32(nb, nl, a[1]));
        Value masked = f32Constant(nb, nl, p.softmax ? kNegInf : 0.0);
        if (!p.softmax) {
          Value shifted = arith::AddFOp::create(
              nb, nl, x, f32Constant(nb, nl, p.sigmoidBias));
          Value e = math::ExpOp::create(nb, nl,
                                        arith::NegFOp::create(nb, nl, shifted));
          Value one = f32Constant(nb, nl, 1.0);
          x = arith::DivFOp::create(nb, nl, one,
                                    arith::AddFOp::create(nb, nl, one, e));
        }
        if (!needsMask)
          return x;
        Value i = arith::AddIOp::create(nb, nl, indexToI64(nb, nl, queryStart),
                                        loopIndex(nb, nl, 0));
        Value j = arith::AddIOp::create(nb, nl, indexToI64(nb, nl, keyStart),
                                        loopIndex(nb, nl, 1));
        Value allowed = p.customMask ? p.customMask(nb, nl, i, j)
                                     : buildSpecMask(nb, nl, p.mask, i, j,
                                                     validKeys, validQueries);
        return arith::SelectOp::create(nb, nl, allowed, x, masked);
      });

  // Every state update writes into the carried tensor (its own init), so
  // that bufferization keeps the state in place across key tiles.
  TileState next;
  Value probabilities = logits;
  Value accumulator = state.acc;
  if (p.softmax) {
    AffineMap rowIdentity = map(1, {d0});
    // t = rowmax x
    Value tileMax =
        buildGeneric(b, loc, logits, filledTensor(b, loc, {br}, kNegInf),
                     {map(2, {d0, d1}), map(2, {d0})}, {par, red},
                     [](OpBuilder &nb, Location nl, ValueRange a) -> Value {
                       return arith::MaximumFOp::create(nb, nl, a[0], a[1]);
                     });
    // a = exp(m - m') with m' = max(m, t); 0 while m = -inf
    Value alpha =
        buildGeneric(b, loc, {state.rowMax, tileMax},
                     emptyTensor(b, loc, {br}, b.getF32Type()),
                     {rowIdentity, rowIdentity, rowIdentity}, {par},
                     [](OpBuilder &nb, Location nl, ValueRange a) -> Value {
                       Value newMax =
                           arith::MaximumFOp::create(nb, nl, a[0], a[1]);
                       return expShifted(nb, nl, a[0], newMax);
                     });
    // m = m' (in place)
    next.rowMax = buildGeneric(
        b, loc, tileMax, state.rowMax, {rowIdentity, rowIdentity}, {par},
        [](OpBuilder &nb, Location nl, ValueRange a) -> Value {
          return arith::MaximumFOp::create(nb, nl, a[0], a[1]);
        });
    // p = exp(x - m')
    probabilities = buildGeneric(
        b, loc, {logits, next.rowMax},
        emptyTensor(b, loc, {br, bc}, b.getF32Type()),
        {map(2, {d0, d1}), map(2, {d0}), map(2, {d0, d1})}, {par, par},
        [](OpBuilder &nb, Location nl, ValueRange a) -> Value {
          return expShifted(nb, nl, a[0], a[1]);
        });
    // l = a l + rowsum p (in place)
    Value scaledSum = buildGeneric(
        b, loc, alpha, state.rowSum, {rowIdentity, rowIdentity}, {par},
        [](OpBuilder &nb, Location nl, ValueRange a) -> Value {
          return arith::MulFOp::create(nb, nl, a[0], a[1]);
        });
    next.rowSum = buildGeneric(
        b, loc, probabilities, scaledSum, {map(2, {d0, d1}), map(2, {d0})},
        {par, red}, [](OpBuilder &nb, Location nl, ValueRange a) -> Value {
          return arith::AddFOp::create(nb, nl, a[0], a[1]);
        });
    // acc = a acc (in place)
    accumulator = buildGeneric(
        b, loc, alpha, state.acc, {map(2, {d0}), map(2, {d0, d1})}, {par, par},
        [](OpBuilder &nb, Location nl, ValueRange a) -> Value {
          return arith::MulFOp::create(nb, nl, a[0], a[1]);
        });
  }
  // acc' = acc + p . v                                      loops (r, e, c)
  next.acc = buildGeneric(
      b, loc, {probabilities, valueTile}, accumulator,
      {map(3, {d0, d2}), map(3, {d2, d1}), map(3, {d0, d1})}, {par, par, red},
      [](OpBuilder &nb, Location nl, ValueRange a) -> Value {
        Value product =
            arith::MulFOp::create(nb, nl, a[0], toF32(nb, nl, a[1]));
        return arith::AddFOp::create(nb, nl, a[2], product);
      });
  return next;
}

/// Builds the whole tiled computation and returns (out, lse).
static SmallVector<Value> buildTiledAttention(OpBuilder &b, Location loc,
                                              const TiledAttention &p) {
  int64_t br = p.queryTile, bc = p.keyTile;
  int64_t paddedQueries = shapeOf(p.query)[2];
  SmallVector<Value> outs = {
      emptyTensor(b, loc, {p.batch, p.queryHeads, paddedQueries, p.valueDim},
                  p.elementType)};
  if (p.withLse)
    outs.push_back(emptyTensor(b, loc, {p.batch, p.queryHeads, paddedQueries},
                               b.getF32Type()));
  SmallVector<OpFoldResult> bounds = {b.getIndexAttr(p.batch),
                                      b.getIndexAttr(p.queryHeads),
                                      b.getIndexAttr(paddedQueries / br)};
  auto forall = scf::ForallOp::create(b, loc, bounds, outs, std::nullopt);

  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPoint(forall.getTerminator());
  ValueRange ivs = forall.getInductionVars();
  Value batchIndex = ivs[0], headIndex = ivs[1], tileIndex = ivs[2];
  Value queryStart =
      arith::MulIOp::create(b, loc, tileIndex, indexConstant(b, loc, br));
  Value kvHead = p.group == 1
                     ? headIndex
                     : arith::DivUIOp::create(b, loc, headIndex,
                                              indexConstant(b, loc, p.group))
                           .getResult();
  OpFoldResult zero = b.getIndexAttr(0);
  Value queryTile =
      sliceOf(b, loc, p.query, {batchIndex, headIndex, queryStart, zero},
              {1, 1, br, p.headDim}, {br, p.headDim});

  // Tb and Sb of this batch row, and the range of keys any query of the tile
  // may see: [lo, hi).
  auto length = [&](Value lengths, int64_t full) -> Value {
    if (!lengths)
      return i64Constant(b, loc, full);
    Value element = tensor::ExtractOp::create(b, loc, lengths, batchIndex);
    return arith::ExtSIOp::create(b, loc, b.getI64Type(), element);
  };
  Value validKeys = length(p.kvLen, p.keyLen);
  Value validQueries = length(p.qLen, p.queryLen);
  auto min = [&](Value x, Value y) {
    return arith::MinSIOp::create(b, loc, x, y).getResult();
  };
  auto max = [&](Value x, Value y) {
    return arith::MaxSIOp::create(b, loc, x, y).getResult();
  };
  auto add = [&](Value x, int64_t y) {
    return arith::AddIOp::create(b, loc, x, i64Constant(b, loc, y)).getResult();
  };
  Value firstRow = indexToI64(b, loc, queryStart);
  Value offset =
      p.mask.causal == CausalMode::bottom_right
          ? arith::SubIOp::create(b, loc, validKeys, validQueries).getResult()
          : i64Constant(b, loc, 0);
  Value lastDiagonal =
      arith::AddIOp::create(b, loc, add(firstRow, br - 1), offset);
  Value hi = min(validKeys, i64Constant(b, loc, p.keyLen));
  if (p.mask.causal != CausalMode::none)
    hi = min(hi, add(lastDiagonal, 1));
  if (p.mask.windowRight >= 0)
    hi = min(hi, add(lastDiagonal, p.mask.windowRight + 1));
  Value lo = i64Constant(b, loc, 0);
  if (p.mask.windowLeft >= 0)
    lo = max(lo, add(arith::AddIOp::create(b, loc, firstRow, offset),
                     -p.mask.windowLeft));
  Value keyTileSize = i64Constant(b, loc, bc);
  Value firstKeyTile = arith::DivSIOp::create(b, loc, lo, keyTileSize);
  Value endKeyTile = arith::DivSIOp::create(
      b, loc, add(max(hi, i64Constant(b, loc, 0)), bc - 1), keyTileSize);
  endKeyTile = max(endKeyTile, firstKeyTile);
  // A query tile entirely past q_len sees no key.
  Value pastValidRows = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge,
                                              firstRow, validQueries);
  endKeyTile =
      arith::SelectOp::create(b, loc, pastValidRows, firstKeyTile, endKeyTile);
  auto toIndex = [&](Value x) {
    return arith::IndexCastOp::create(b, loc, b.getIndexType(), x).getResult();
  };

  // Whether every (query, key) pair of the query tile and the key tile at
  // `keyStart` (index) is allowed by the spec's mask.
  Value validKeysInBounds = min(validKeys, i64Constant(b, loc, p.keyLen));
  Value firstDiagonal = arith::AddIOp::create(b, loc, firstRow, offset);
  auto isWholeTileAllowed = [&](OpBuilder &nb, Location nl,
                                Value keyStart) -> Value {
    auto cmp = [&](arith::CmpIPredicate predicate, Value lhs, Value rhs) {
      return arith::CmpIOp::create(nb, nl, predicate, lhs, rhs).getResult();
    };
    auto plus = [&](Value x, int64_t y) {
      return arith::AddIOp::create(nb, nl, x, i64Constant(nb, nl, y))
          .getResult();
    };
    using Pred = arith::CmpIPredicate;
    Value firstKey = indexToI64(nb, nl, keyStart);
    Value lastKey = plus(firstKey, bc - 1);
    Value whole = cmp(Pred::slt, lastKey, validKeysInBounds);
    auto require = [&](Value condition) {
      whole = arith::AndIOp::create(nb, nl, whole, condition);
    };
    if (p.mask.hasQLen)
      require(cmp(Pred::sle, plus(firstRow, br), validQueries));
    if (p.mask.causal != CausalMode::none)
      require(cmp(Pred::sle, lastKey, firstDiagonal));
    if (p.mask.windowLeft >= 0)
      require(cmp(Pred::sge, firstKey, plus(lastDiagonal, -p.mask.windowLeft)));
    if (p.mask.windowRight >= 0)
      require(
          cmp(Pred::sle, lastKey, plus(firstDiagonal, p.mask.windowRight)));
    return whole;
  };

  TileState initial;
  initial.acc = filledTensor(b, loc, {br, p.valueDim}, 0);
  if (p.softmax) {
    initial.rowMax = filledTensor(b, loc, {br}, kNegInf);
    initial.rowSum = filledTensor(b, loc, {br}, 0);
  }
  // Visits the key tiles [firstTile, endTile) (i64), carrying the state.
  auto visit = [&](Value firstTile, Value endTile,
                   const TileState &entry) -> TileState {
    auto loop = scf::ForOp::create(
        b, loc, toIndex(firstTile), toIndex(endTile), indexConstant(b, loc, 1),
        entry.values(),
        [&](OpBuilder &nb, Location nl, Value keyTileIndex,
            ValueRange iterArgs) {
          TileState state;
          state.acc = iterArgs[0];
          if (p.softmax) {
            state.rowMax = iterArgs[1];
            state.rowSum = iterArgs[2];
          }
          Value keyStart = arith::MulIOp::create(nb, nl, keyTileIndex,
                                                 indexConstant(nb, nl, bc));
          auto maskedStep = [&](OpBuilder &sb, Location sl, bool masked) {
            return buildKeyTileStep(sb, sl, p, batchIndex, headIndex, kvHead,
                                    queryTile, queryStart, keyStart, validKeys,
                                    validQueries, state, masked)
                .values();
          };
          // Tiles that lie wholly inside the allowed region skip the
          // per-element mask; only the tiles on its border pay for it.
          auto step = [&](OpBuilder &sb, Location sl) -> SmallVector<Value> {
            if (!needsElementMask(p) || p.customMask)
              return maskedStep(sb, sl, true);
            Value whole = isWholeTileAllowed(sb, sl, keyStart);
            auto branch = scf::IfOp::create(
                sb, sl, whole,
                [&](OpBuilder &tb, Location tl) {
                  scf::YieldOp::create(tb, tl, maskedStep(tb, tl, false));
                },
                [&](OpBuilder &eb, Location el) {
                  scf::YieldOp::create(eb, el, maskedStep(eb, el, true));
                });
            return branch.getResults();
          };
          if (!p.layout) {
            scf::YieldOp::create(nb, nl, step(nb, nl));
            return;
          }
          // Block-sparse: only tiles whose layout bit is set do any work.
          bool shared = shapeOf(p.layout)[0] == 1;
          Value first = p.layoutPerBatch ? batchIndex
                        : shared         ? indexConstant(nb, nl, 0)
                                         : headIndex;
          Value bit = tensor::ExtractOp::create(
              nb, nl, p.layout, ValueRange{first, tileIndex, keyTileIndex});
          auto branch = scf::IfOp::create(
              nb, nl, bit,
              [&](OpBuilder &tb, Location tl) {
                scf::YieldOp::create(tb, tl, step(tb, tl));
              },
              [&](OpBuilder &eb, Location el) {
                scf::YieldOp::create(eb, el, state.values());
              });
          scf::YieldOp::create(nb, nl, branch.getResults());
        });
    TileState exit;
    exit.acc = loop.getResult(0);
    if (p.softmax) {
      exit.rowMax = loop.getResult(1);
      exit.rowSum = loop.getResult(2);
    }
    return exit;
  };
  TileState result = initial;
  if (!p.keyRanges) {
    result = visit(firstKeyTile, endKeyTile, initial);
  } else {
    for (auto [lo, hi] : p.keyRanges(b, loc, tileIndex)) {
      Value first = arith::DivSIOp::create(b, loc, lo, keyTileSize);
      Value end = arith::DivSIOp::create(b, loc, add(hi, bc - 1), keyTileSize);
      result = visit(first, max(first, end), result);
    }
  }

  // o = acc / l (0 where l = 0); lse = m + log l.
  MLIRContext *ctx = b.getContext();
  AffineExpr d0, d1;
  bindDims(ctx, d0, d1);
  Value acc = result.acc;
  Value outTile;
  if (p.softmax) {
    outTile = buildGeneric(
        b, loc, {acc, result.rowSum},
        emptyTensor(b, loc, {br, p.valueDim}, p.elementType),
        {AffineMap::get(2, 0, {d0, d1}, ctx), AffineMap::get(2, 0, {d0}, ctx),
         AffineMap::get(2, 0, {d0, d1}, ctx)},
        {utils::IteratorType::parallel, utils::IteratorType::parallel},
        [&](OpBuilder &nb, Location nl, ValueRange a) -> Value {
          Value zeroF = f32Constant(nb, nl, 0);
          Value isEmpty = arith::CmpFOp::create(
              nb, nl, arith::CmpFPredicate::OEQ, a[1], zeroF);
          Value quotient = arith::DivFOp::create(nb, nl, a[0], a[1]);
          return fromF32(
              nb, nl, arith::SelectOp::create(nb, nl, isEmpty, zeroF, quotient),
              p.elementType);
        });
  } else {
    outTile = tensorFromF32(b, loc, acc, p.elementType);
  }
  Value lseTile;
  if (p.withLse) {
    AffineMap row = AffineMap::get(1, 0, {d0}, ctx);
    lseTile = buildGeneric(
        b, loc, {result.rowMax, result.rowSum},
        emptyTensor(b, loc, {br}, b.getF32Type()), {row, row, row},
        {utils::IteratorType::parallel},
        [](OpBuilder &nb, Location nl, ValueRange a) -> Value {
          Value isEmpty =
              arith::CmpFOp::create(nb, nl, arith::CmpFPredicate::OEQ, a[0],
                                    f32Constant(nb, nl, kNegInf));
          Value safeMax = arith::SelectOp::create(nb, nl, isEmpty,
                                                  f32Constant(nb, nl, 0), a[0]);
          return arith::AddFOp::create(nb, nl, safeMax,
                                       math::LogOp::create(nb, nl, a[1]));
        });
  }

  b.setInsertionPointToStart(forall.getTerminator().getBody());
  auto insert = [&](Value tile, Value into, ArrayRef<OpFoldResult> offsets,
                    ArrayRef<int64_t> sizes) {
    SmallVector<OpFoldResult> strides(sizes.size(), b.getIndexAttr(1));
    tensor::ParallelInsertSliceOp::create(
        b, loc, tile, into, offsets,
        getAsIndexOpFoldResult(b.getContext(), sizes), strides);
  };
  ValueRange shared = forall.getRegionIterArgs();
  insert(outTile, shared[0], {batchIndex, headIndex, queryStart, zero},
         {1, 1, br, p.valueDim});
  if (p.withLse)
    insert(lseTile, shared[1], {batchIndex, headIndex, queryStart}, {1, 1, br});

  // Drop the padded rows.
  b.setInsertionPointAfter(forall);
  SmallVector<Value> results;
  for (auto [index, result] : llvm::enumerate(forall.getResults())) {
    SmallVector<int64_t> shape(shapeOf(result));
    shape[2] = p.queryLen;
    if (shape == shapeOf(result)) {
      results.push_back(result);
      continue;
    }
    SmallVector<OpFoldResult> offsets(shape.size(), b.getIndexAttr(0));
    results.push_back(sliceOf(b, loc, result, offsets, shape, shape));
  }
  return results;
}

static int64_t roundUp(int64_t value, int64_t multiple) {
  return (value + multiple - 1) / multiple * multiple;
}

template <typename OpTy>
static LogicalResult tileAttentionLike(OpTy op, PatternRewriter &rewriter,
                                       int64_t queryTile, int64_t keyTile,
                                       Value layout) {
  if (failed(requireStaticShapes(rewriter, op)))
    return failure();
  Location loc = op.getLoc();
  ArrayRef<int64_t> q = shapeOf(op.getQuery()), k = shapeOf(op.getKey()),
                    v = shapeOf(op.getValue());
  TiledAttention p;
  p.batch = q[0];
  p.queryHeads = q[1];
  p.queryLen = q[2];
  p.headDim = q[3];
  p.keyLen = k[2];
  p.valueDim = v[3];
  p.group = q[1] / k[1];
  p.queryTile = queryTile;
  p.keyTile = keyTile;
  p.elementType =
      cast<RankedTensorType>(op.getQuery().getType()).getElementType();
  p.scale = scaleOrDefault(op.getScaleAttr(), p.headDim);
  p.softmax = op.getScore() == ScoreKind::softmax;
  p.sigmoidBias =
      op.getSigmoidBiasAttr()
          ? op.getSigmoidBiasAttr().getValueAsDouble()
          : -std::log(static_cast<double>(std::max<int64_t>(p.keyLen, 1)));
  p.withLse = op.hasLse();
  p.mask = AttentionMaskParams::get(op);

  int64_t paddedQueries = roundUp(std::max<int64_t>(p.queryLen, 1), queryTile);
  int64_t paddedKeys = roundUp(std::max<int64_t>(p.keyLen, 1), keyTile);
  p.query =
      padTo(rewriter, loc, op.getQuery(), {q[0], q[1], paddedQueries, q[3]});
  Value paddedKey =
      padTo(rewriter, loc, op.getKey(), {k[0], k[1], paddedKeys, k[3]});
  p.keyTransposed =
      linalg::TransposeOp::create(rewriter, loc, paddedKey,
                                  emptyTensor(rewriter, loc,
                                              {k[0], k[1], k[3], paddedKeys},
                                              p.elementType),
                                  ArrayRef<int64_t>{0, 1, 3, 2})
          .getResult()[0];
  p.value = padTo(rewriter, loc, op.getValue(), {v[0], v[1], paddedKeys, v[3]});
  if (Value bias = op.getBias()) {
    SmallVector<int64_t> shape(shapeOf(bias));
    if (shape[2] != 1)
      shape[2] = paddedQueries;
    if (shape[3] != 1)
      shape[3] = paddedKeys;
    p.bias = padTo(rewriter, loc, bias, shape);
  }
  p.kvLen = op.getKvLen();
  p.qLen = op.getQLen();
  p.layout = layout;

  rewriter.replaceOp(op, buildTiledAttention(rewriter, loc, p));
  return success();
}

namespace {

struct TileAttention : OpRewritePattern<AttentionOp> {
  TileAttention(MLIRContext *ctx, int64_t queryTile, int64_t keyTile)
      : OpRewritePattern(ctx), queryTile(queryTile), keyTile(keyTile) {}
  LogicalResult matchAndRewrite(AttentionOp op,
                                PatternRewriter &rewriter) const override {
    return tileAttentionLike(op, rewriter, queryTile, keyTile, Value());
  }
  int64_t queryTile, keyTile;
};

struct TileBlockSparseAttention : OpRewritePattern<BlockSparseAttentionOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(BlockSparseAttentionOp op,
                                PatternRewriter &rewriter) const override {
    // Tiles are the layout's blocks, so a zero bit skips a whole tile.
    ArrayRef<int64_t> block = op.getBlock();
    return tileAttentionLike(op, rewriter, block[0], block[1], op.getLayout());
  }
};

/// Routed attention with 1-D regions is block-sparse attention whose tiles
/// are the regions and whose layout, per batch row, is "region m ranks below
/// topk for region n": the routing prologue (O(L D + R^2 H D)) computes it,
/// and the tile loop visits only the topk routed regions of each query
/// region, reading K and V in place (no gathered copy).
struct TileRoutedAttention : OpRewritePattern<RoutedAttentionOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(RoutedAttentionOp op,
                                PatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(rewriter, op)))
      return failure();
    IntegerAttr regionSize = op.getRegionSizeAttr();
    if (!regionSize)
      return rewriter.notifyMatchFailure(
          op, "2-D regions are not contiguous token ranges");
    Location loc = op.getLoc();
    MLIRContext *ctx = op.getContext();
    ArrayRef<int64_t> shape = shapeOf(op.getQuery());
    int64_t region = regionSize.getInt();
    int64_t regions = shape[2] / region;

    // routed[b, n, m] = rank[b, n, m] < topk
    Value ranks = buildRoutingRanks(rewriter, loc, op);
    AffineMap identity = AffineMap::getMultiDimIdentityMap(3, ctx);
    int64_t topk = op.getTopk();
    Value routed = buildGeneric(
        rewriter, loc, ranks,
        emptyTensor(rewriter, loc, {shape[0], regions, regions},
                    rewriter.getI1Type()),
        {identity, identity},
        SmallVector<utils::IteratorType>(3, utils::IteratorType::parallel),
        [&](OpBuilder &nb, Location nl, ValueRange a) -> Value {
          return arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::slt, a[0],
                                       i64Constant(nb, nl, topk));
        });

    TiledAttention p;
    p.batch = shape[0];
    p.queryHeads = shape[1];
    p.queryLen = p.keyLen = shape[2];
    p.headDim = p.valueDim = shape[3];
    p.group = 1;
    p.queryTile = p.keyTile = region;
    p.elementType =
        cast<RankedTensorType>(op.getQuery().getType()).getElementType();
    p.scale = scaleOrDefault(op.getScaleAttr(), p.headDim);
    p.softmax = true;
    p.sigmoidBias = 0;
    p.withLse = false;
    p.mask.queryLen = p.mask.keyLen = shape[2];
    p.query = op.getQuery();
    p.keyTransposed =
        linalg::TransposeOp::create(
            rewriter, loc, op.getKey(),
            emptyTensor(rewriter, loc, {shape[0], shape[1], shape[3], shape[2]},
                        p.elementType),
            ArrayRef<int64_t>{0, 1, 3, 2})
            .getResult()[0];
    p.value = op.getValue();
    p.layout = routed;
    p.layoutPerBatch = true;
    rewriter.replaceOp(op, buildTiledAttention(rewriter, loc, p));
    return success();
  }
};

/// Combiner, fixed variant, on the tile engine. Stage one builds the segment
/// abstractions in O(L D): kbar and qbar by max-pooling, vbar by the engine
/// itself (each qbar attends over its own segment only). Stage two runs the
/// engine over [k; kbar] and [v; vbar] with query tiles = segments, visiting
/// for each the own segment and the abstraction range (earlier segments when
/// causal, all when not): O(L (b + L/b) D), never O(L^2).
struct TileFixedCombiner : OpRewritePattern<CombinerOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(CombinerOp op,
                                PatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(rewriter, op)))
      return failure();
    if (op.getVariant() != CombinerVariant::fixed)
      return rewriter.notifyMatchFailure(op, "only the fixed variant is tiled");
    Location loc = op.getLoc();
    MLIRContext *ctx = op.getContext();
    ArrayRef<int64_t> shape = shapeOf(op.getQuery());
    int64_t batch = shape[0], heads = shape[1], length = shape[2],
            dim = shape[3];
    int64_t block = *op.getBlock(), segments = length / block;
    double scale = scaleOrDefault(op.getScaleAttr(), dim);
    bool causal = op.getCausal();
    Type elementType =
        cast<RankedTensorType>(op.getQuery().getType()).getElementType();
    Type f32 = rewriter.getF32Type();

    // Max over each segment: [B, H, L, D] -> [B, H, L/b, b, D] -> [B, H, L/b,
    // D] (f32), of scale * x for the queries.
    auto segmentMax = [&](Value x, double factor) {
      auto expandedType = RankedTensorType::get(
          {batch, heads, segments, block, dim},
          cast<RankedTensorType>(x.getType()).getElementType());
      Value expanded = tensor::ExpandShapeOp::create(
          rewriter, loc, expandedType, x,
          SmallVector<ReassociationIndices>{{0}, {1}, {2, 3}, {4}});
      AffineExpr d0, d1, d2, d3, d4;
      bindDims(ctx, d0, d1, d2, d3, d4);
      using utils::IteratorType;
      return buildGeneric(
          rewriter, loc, expanded,
          filledTensor(rewriter, loc, {batch, heads, segments, dim}, kNegInf),
          {AffineMap::getMultiDimIdentityMap(5, ctx),
           AffineMap::get(5, 0, {d0, d1, d2, d4}, ctx)},
          {IteratorType::parallel, IteratorType::parallel,
           IteratorType::parallel, IteratorType::reduction,
           IteratorType::parallel},
          [factor](OpBuilder &nb, Location nl, ValueRange a) -> Value {
            Value element = toF32(nb, nl, a[0]);
            if (factor != 1.0)
              element = arith::MulFOp::create(nb, nl, element,
                                              f32Constant(nb, nl, factor));
            return arith::MaximumFOp::create(nb, nl, element, a[1]);
          });
    };
    Value keyMax = segmentMax(op.getKey(), 1.0);
    Value queryMax = segmentMax(op.getQuery(), scale);
    auto transposed = [&](Value x) {
      ArrayRef<int64_t> s = shapeOf(x);
      return linalg::TransposeOp::create(
                 rewriter, loc, x,
                 emptyTensor(
                     rewriter, loc, {s[0], s[1], s[3], s[2]},
                     cast<RankedTensorType>(x.getType()).getElementType()),
                 ArrayRef<int64_t>{0, 1, 3, 2})
          .getResult()[0];
    };

    auto problem = [&](Value query, int64_t queryTile, int64_t keyLength,
                       Type outType) {
      TiledAttention p;
      p.batch = batch;
      p.queryHeads = heads;
      p.queryLen = shapeOf(query)[2];
      p.headDim = dim;
      p.keyLen = keyLength;
      p.valueDim = dim;
      p.group = 1;
      p.queryTile = queryTile;
      p.keyTile = block;
      p.elementType = outType;
      p.sigmoidBias = 0;
      p.softmax = true;
      p.withLse = false;
      p.mask.queryLen = p.queryLen;
      p.mask.keyLen = keyLength;
      p.query = query;
      return p;
    };

    // vbar[n] = sum over segment n of softmax_j(qbar[n] . k_j) v_j
    TiledAttention summary = problem(queryMax, 1, length, f32);
    summary.scale = 1.0;
    summary.keyTransposed = transposed(op.getKey());
    summary.value = op.getValue();
    summary.keyRanges = [block](OpBuilder &b, Location l, Value tile) {
      Value start = arith::MulIOp::create(b, l, indexToI64(b, l, tile),
                                          i64Constant(b, l, block));
      Value end = arith::AddIOp::create(b, l, start, i64Constant(b, l, block));
      return SmallVector<std::pair<Value, Value>>{{start, end}};
    };
    Value valueSummary = buildTiledAttention(rewriter, loc, summary).front();

    // The engine over [k; kbar] and [v; vbar], padded to whole key tiles.
    int64_t keys = length + segments;
    int64_t paddedKeys = roundUp(keys, block);
    Value extendedKeys =
        padTo(rewriter, loc,
              concatenate(rewriter, loc,
                          {tensorToF32(rewriter, loc, op.getKey()), keyMax}, 2),
              {batch, heads, paddedKeys, dim});
    Value extendedValues =
        padTo(rewriter, loc,
              concatenate(
                  rewriter, loc,
                  {tensorToF32(rewriter, loc, op.getValue()), valueSummary}, 2),
              {batch, heads, paddedKeys, dim});
    TiledAttention main = problem(op.getQuery(), block, keys, elementType);
    main.scale = scale;
    main.keyTransposed = transposed(extendedKeys);
    main.value = extendedValues;
    main.keyRanges = [block, length, segments, causal](OpBuilder &b, Location l,
                                                       Value tile) {
      Value segment = indexToI64(b, l, tile);
      Value start =
          arith::MulIOp::create(b, l, segment, i64Constant(b, l, block));
      Value end = arith::AddIOp::create(b, l, start, i64Constant(b, l, block));
      Value abstractions = i64Constant(b, l, length);
      Value abstractionsEnd = arith::AddIOp::create(
          b, l, abstractions, causal ? segment : i64Constant(b, l, segments));
      return SmallVector<std::pair<Value, Value>>{
          {start, end}, {abstractions, abstractionsEnd}};
    };
    main.customMask = [block, length, causal](OpBuilder &b, Location l, Value i,
                                              Value j) {
      return buildFixedCombinerMask(b, l, block, length, causal, i, j);
    };
    rewriter.replaceOp(op, buildTiledAttention(rewriter, loc, main));
    return success();
  }
};

struct AttnTilePass : public mixir::attn::impl::AttnTileBase<AttnTilePass> {
  using Base::Base;

  void runOnOperation() override {
    if (queryTile <= 0 || keyTile <= 0) {
      getOperation()->emitError("attn-tile: tile sizes must be positive");
      return signalPassFailure();
    }
    if (hyenaFFTMinLength < 1) {
      getOperation()->emitError(
          "attn-tile: hyena-fft-min-length must be at least 1");
      return signalPassFailure();
    }
    RewritePatternSet patterns(&getContext());
    populateAttnTilingPatterns(patterns, queryTile, keyTile,
                               hyenaFFTMinLength);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
    // Say what stays on the reference path, and why.
    getOperation()->walk([&](Operation *op) {
      if (!isa<AttnDialect>(op->getDialect()))
        return;
      bool dynamic = llvm::any_of(op->getOperandTypes(), [](Type type) {
        auto shaped = dyn_cast<ShapedType>(type);
        return shaped && !shaped.hasStaticShape();
      });
      if (!dynamic && isa<HyenaOp>(op)) {
        op->emitRemark() << "attn-tile: L = "
                         << cast<ShapedType>(op->getOperand(0).getType())
                                .getDimSize(1)
                         << " is below hyena-fft-min-length ("
                         << static_cast<int64_t>(hyenaFFTMinLength)
                         << "): the direct convolution of the reference "
                         << "decomposition is used";
        return;
      }
      if (dynamic || isa<AttentionOp, BlockSparseAttentionOp, PoolMixOp>(op))
        op->emitRemark("attn-tile: not tiled (dynamic shapes); it falls back "
                       "to the reference decomposition");
      else if (auto combiner = dyn_cast<CombinerOp>(op))
        op->emitRemark() << "attn-tile: no tiled lowering for the "
                         << stringifyCombinerVariant(combiner.getVariant())
                         << " Combiner yet; it falls back to the reference "
                         << "decomposition";
      else if (auto routed = dyn_cast<RoutedAttentionOp>(op))
        op->emitRemark() << "attn-tile: not tiled ("
                         << (routed.getRegionSizeAttr() ? "dynamic shapes"
                                                        : "2-D regions")
                         << "); it falls back to the reference decomposition";
      else
        op->emitRemark() << "attn-tile: no tiled lowering for " << op->getName()
                         << " yet; it falls back to the "
                         << "reference decomposition";
    });
  }
};

} // namespace

void mixir::attn::populateAttnTilingPatterns(RewritePatternSet &patterns,
                                             int64_t queryTile, int64_t keyTile,
                                             int64_t hyenaFFTMinLength) {
  patterns.add<TileAttention>(patterns.getContext(), queryTile, keyTile);
  patterns
      .add<TileBlockSparseAttention, TileRoutedAttention, TileFixedCombiner>(
          patterns.getContext());
  populatePoolMixStreamingPatterns(patterns);
  populateHyenaFFTPatterns(patterns, hyenaFFTMinLength);
}
