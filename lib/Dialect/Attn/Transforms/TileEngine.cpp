//===- TileEngine.cpp - the flash-style tile engine of attn-tile ----------===//
//
// A parallel loop over (batch, query head, query tile) and, inside, a loop
// over the key tiles that the masks (or the caller's key ranges) leave,
// carrying the online-softmax state (acc, m, l). The S x T scores never
// exist; the extra memory is one tile of scores.
//
//===----------------------------------------------------------------------===//

#include "TileEngine.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <limits>

using namespace mlir;
using namespace mixir::attn;
using namespace mixir::attn::decompose;
using namespace mixir::attn::tile;

static constexpr double kNegInf = -std::numeric_limits<double>::infinity();

Value tile::padTo(OpBuilder &b, Location loc, Value x,
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

Value tile::sliceOf(OpBuilder &b, Location loc, Value x,
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
        if (!p.softmax)
          x = sigmoidScore(nb, nl, x, p.sigmoidBias);
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

SmallVector<Value> tile::buildTiledAttention(OpBuilder &b, Location loc,
                                             const TiledAttention &p) {
  int64_t br = p.queryTile, bc = p.keyTile;
  int64_t paddedQueries = shapeOf(p.query)[2];
  assert((!p.partial || p.softmax) && "partials are softmax states");
  SmallVector<Value> outs = {
      emptyTensor(b, loc, {p.batch, p.queryHeads, paddedQueries, p.valueDim},
                  p.partial ? b.getF32Type() : p.elementType)};
  if (p.withLse || p.partial)
    outs.push_back(emptyTensor(b, loc, {p.batch, p.queryHeads, paddedQueries},
                               b.getF32Type()));
  if (p.partial)
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
      require(cmp(Pred::sle, lastKey, plus(firstDiagonal, p.mask.windowRight)));
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
  if (p.partial) {
    outTile = acc;
  } else if (p.softmax) {
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
  if (p.partial) {
    insert(result.rowMax, shared[1], {batchIndex, headIndex, queryStart},
           {1, 1, br});
    insert(result.rowSum, shared[2], {batchIndex, headIndex, queryStart},
           {1, 1, br});
  }

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

Value tile::transposeLastTwo(OpBuilder &b, Location loc, Value x) {
  ArrayRef<int64_t> s = shapeOf(x);
  return linalg::TransposeOp::create(
             b, loc, x,
             emptyTensor(b, loc, {s[0], s[1], s[3], s[2]},
                         cast<RankedTensorType>(x.getType()).getElementType()),
             ArrayRef<int64_t>{0, 1, 3, 2})
      .getResult()[0];
}

int64_t tile::roundUp(int64_t value, int64_t multiple) {
  return (value + multiple - 1) / multiple * multiple;
}
