//===- TileRules.cpp - the rules every target's attention tiles share -----===//
//
// The key bounds of a query tile, the whole-tile-allowed test, the
// online-softmax update and the split-KV merge weight (see TileRules.h).
//
//===----------------------------------------------------------------------===//

#include "mixir/Dialect/Attn/Tiling/TileRules.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <limits>

using namespace mlir;
using namespace mixir::attn;
using namespace mixir::attn::decompose;
using namespace mixir::attn::tile;

static constexpr double kNegInf = -std::numeric_limits<double>::infinity();

AttentionMaskParams tile::maskParamsOf(PartialAttentionOp op) {
  AttentionMaskParams params;
  params.causal = op.getCausal();
  if (std::optional<ArrayRef<int64_t>> window = op.getWindow()) {
    params.windowLeft = AttentionMaskParams::clampedWindow((*window)[0]);
    params.windowRight = AttentionMaskParams::clampedWindow((*window)[1]);
  }
  params.queryLen = op.getLengths()[0];
  params.keyLen = op.getLengths()[1];
  params.hasKvLen = static_cast<bool>(op.getKvLen());
  params.hasQLen = static_cast<bool>(op.getQLen());
  return params;
}

TilePlacement TilePlacement::get(OpBuilder &b, Location loc,
                                 const AttentionMaskParams &mask, Value batch,
                                 Value head, Value queryStart, Value keyStart,
                                 Value kvLen, Value qLen) {
  TilePlacement at;
  at.batch = batch;
  at.head = head;
  at.queryStart = queryStart;
  at.keyStart = keyStart;
  at.validKeys = kvLen ? kvLen : i64Constant(b, loc, mask.keyLen);
  at.validQueries = qLen ? qLen : i64Constant(b, loc, mask.queryLen);
  at.diagonalOffset =
      mask.causal == CausalMode::bottom_right
          ? arith::SubIOp::create(b, loc, at.validKeys, at.validQueries)
                .getResult()
          : i64Constant(b, loc, 0);
  return at;
}

TilePlacement TilePlacement::get(OpBuilder &b, Location loc,
                                 PartialAttentionOp op) {
  SmallVector<Value> offsets(op.getOffsets());
  if (offsets.empty())
    offsets.assign(4, arith::ConstantIndexOp::create(b, loc, 0));
  auto length = [&](Value lengths) -> Value {
    if (!lengths)
      return {};
    Value element = tensor::ExtractOp::create(b, loc, lengths, offsets[0]);
    return arith::ExtSIOp::create(b, loc, b.getI64Type(), element);
  };
  // One after the other: argument evaluation order is unspecified.
  Value kvLen = length(op.getKvLen());
  Value qLen = length(op.getQLen());
  return get(b, loc, maskParamsOf(op), offsets[0], offsets[1], offsets[2],
             offsets[3], kvLen, qLen);
}

std::pair<Value, Value> tile::keyBounds(OpBuilder &b, Location loc,
                                        const AttentionMaskParams &mask,
                                        const TilePlacement &at, int64_t rows) {
  auto min = [&](Value x, Value y) {
    return arith::MinSIOp::create(b, loc, x, y).getResult();
  };
  auto max = [&](Value x, Value y) {
    return arith::MaxSIOp::create(b, loc, x, y).getResult();
  };
  auto add = [&](Value x, int64_t y) {
    return arith::AddIOp::create(b, loc, x, i64Constant(b, loc, y)).getResult();
  };
  Value firstRow = indexToI64(b, loc, at.queryStart);
  Value lastDiagonal =
      arith::AddIOp::create(b, loc, add(firstRow, rows - 1), at.diagonalOffset);
  Value hi = min(at.validKeys, i64Constant(b, loc, mask.keyLen));
  if (mask.causal != CausalMode::none)
    hi = min(hi, add(lastDiagonal, 1));
  if (mask.windowRight >= 0)
    hi = min(hi, add(lastDiagonal, mask.windowRight + 1));
  Value lo = i64Constant(b, loc, 0);
  if (mask.windowLeft >= 0)
    lo = max(lo, add(arith::AddIOp::create(b, loc, firstRow, at.diagonalOffset),
                     -mask.windowLeft));
  // A query tile entirely past q_len sees no key.
  Value pastValidRows = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge,
                                              firstRow, at.validQueries);
  hi = arith::SelectOp::create(b, loc, pastValidRows, lo, hi);
  return {lo, hi};
}

std::pair<Value, Value> tile::keyTileLoopBounds(OpBuilder &b, Location loc,
                                                Value lo, Value hi,
                                                int64_t keyTile) {
  Value tileSize = i64Constant(b, loc, keyTile);
  Value first = arith::MulIOp::create(
      b, loc, arith::DivSIOp::create(b, loc, lo, tileSize), tileSize);
  Value end = arith::MulIOp::create(
      b, loc,
      arith::DivSIOp::create(
          b, loc,
          arith::AddIOp::create(
              b, loc,
              arith::MaxSIOp::create(b, loc, hi, i64Constant(b, loc, 0)),
              i64Constant(b, loc, keyTile - 1)),
          tileSize),
      tileSize);
  // Empty when hi <= lo: rounding hi up to a whole tile must not give a tile
  // past lo (a window can put lo past the last key, and that tile would be
  // read outside the keys).
  Value empty =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sle, hi, lo);
  end = arith::MaxSIOp::create(b, loc, end, first);
  end = arith::SelectOp::create(b, loc, empty, first, end);
  auto toIndex = [&](Value x) {
    return arith::IndexCastOp::create(b, loc, b.getIndexType(), x).getResult();
  };
  return {toIndex(first), toIndex(end)};
}

Value tile::isWholeTileAllowed(OpBuilder &b, Location loc,
                               const AttentionMaskParams &mask,
                               const TilePlacement &at, int64_t rows,
                               int64_t cols) {
  auto cmp = [&](arith::CmpIPredicate predicate, Value lhs, Value rhs) {
    return arith::CmpIOp::create(b, loc, predicate, lhs, rhs).getResult();
  };
  auto plus = [&](Value x, int64_t y) {
    return arith::AddIOp::create(b, loc, x, i64Constant(b, loc, y)).getResult();
  };
  using Pred = arith::CmpIPredicate;
  Value firstRow = indexToI64(b, loc, at.queryStart);
  Value firstDiagonal =
      arith::AddIOp::create(b, loc, firstRow, at.diagonalOffset);
  Value lastDiagonal = plus(firstDiagonal, rows - 1);
  Value firstKey = indexToI64(b, loc, at.keyStart);
  Value lastKey = plus(firstKey, cols - 1);
  Value validKeysInBounds = arith::MinSIOp::create(
      b, loc, at.validKeys, i64Constant(b, loc, mask.keyLen));
  Value whole = cmp(Pred::slt, lastKey, validKeysInBounds);
  auto require = [&](Value condition) {
    whole = arith::AndIOp::create(b, loc, whole, condition);
  };
  if (mask.hasQLen)
    require(cmp(Pred::sle, plus(firstRow, rows), at.validQueries));
  if (mask.causal != CausalMode::none)
    require(cmp(Pred::sle, lastKey, firstDiagonal));
  if (mask.windowLeft >= 0)
    require(cmp(Pred::sge, firstKey, plus(lastDiagonal, -mask.windowLeft)));
  if (mask.windowRight >= 0)
    require(cmp(Pred::sle, lastKey, plus(firstDiagonal, mask.windowRight)));
  return whole;
}

/// A constant of `type`'s element type, splat when `type` is a vector.
static Value floatLike(OpBuilder &b, Location loc, Type type, double value) {
  auto element = cast<FloatType>(getElementTypeOrSelf(type));
  TypedAttr attr = b.getFloatAttr(element, value);
  if (auto vector = dyn_cast<VectorType>(type))
    attr = DenseElementsAttr::get(vector, attr);
  return arith::ConstantOp::create(b, loc, attr);
}

static Value isNegInf(OpBuilder &b, Location loc, Value x) {
  return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, x,
                               floatLike(b, loc, x.getType(), kNegInf));
}

Value tile::shiftedExp(OpBuilder &b, Location loc, Value x, Value rowMax,
                       ExpBuilder exp) {
  Value safeMax =
      arith::SelectOp::create(b, loc, isNegInf(b, loc, rowMax),
                              floatLike(b, loc, rowMax.getType(), 0.0), rowMax);
  return exp(b, loc, arith::SubFOp::create(b, loc, x, safeMax));
}

OnlineSoftmaxUpdate tile::onlineSoftmaxUpdate(OpBuilder &b, Location loc,
                                              Value rowMax, Value tileMax,
                                              ExpBuilder exp) {
  OnlineSoftmaxUpdate update;
  update.newMax = arith::MaximumFOp::create(b, loc, rowMax, tileMax);
  update.rescale = shiftedExp(b, loc, rowMax, update.newMax, exp);
  return update;
}

Value tile::mergeWeight(OpBuilder &b, Location loc, Value m, Value mMax,
                        ExpBuilder exp) {
  Value weight = exp(b, loc, arith::SubFOp::create(b, loc, m, mMax));
  return arith::SelectOp::create(b, loc, isNegInf(b, loc, m),
                                 floatLike(b, loc, m.getType(), 0.0), weight);
}

bool tile::mayNeedElementMask(const AttentionMaskParams &mask,
                              int64_t keyTile) {
  return !mask.isUnmasked() || mask.keyLen % keyTile != 0;
}
