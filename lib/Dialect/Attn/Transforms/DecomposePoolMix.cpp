//===- DecomposePoolMix.cpp - lowerings of PoNet --------------------------===//
//
// Rewrites attn.pool_mix. The global attention pooling is the masked
// attention engine with the per-head mean of q as a single query (mask: valid
// keys), O(L C) already. Segment and local max-pooling come in two forms:
//  - reference (attn-decompose): reductions over all positions with a
//    predicate, O(L^2 C);
//  - streaming (attn-tile): local pooling reads the stream padded with -inf
//    over the w taps of its window, O(L C w); segment pooling keeps each
//    segment's running max in a table indexed by segment id (one pass over
//    the tokens) and every token reads its segment's entry, O(L C).
// One elementwise op combines them and zeroes the padded tokens.
//
//===----------------------------------------------------------------------===//

#include "DecompositionUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace mixir::attn;
using namespace mixir::attn::decompose;

/// t < len[b] as i1, or true when there is no `len`.
static Value isValid(OpBuilder &b, Location loc, Value position,
                     std::optional<Value> length) {
  if (!length)
    return arith::ConstantOp::create(b, loc, b.getBoolAttr(true));
  return arith::CmpIOp::create(
      b, loc, arith::CmpIPredicate::slt, position,
      arith::ExtSIOp::create(b, loc, b.getI64Type(), *length));
}

/// [B, L, C] -> [B, H, L, d] (f32).
static Value splitHeads(OpBuilder &b, Location loc, Value x, int64_t heads) {
  ArrayRef<int64_t> shape = shapeOf(x);
  int64_t headDim = shape[2] / heads;
  auto expandedType = RankedTensorType::get(
      {shape[0], shape[1], heads, headDim}, b.getF32Type());
  Value expanded = tensor::ExpandShapeOp::create(
      b, loc, expandedType, tensorToF32(b, loc, x),
      SmallVector<ReassociationIndices>{{0}, {1}, {2, 3}});
  Value init =
      emptyTensor(b, loc, {shape[0], heads, shape[1], headDim}, b.getF32Type());
  return linalg::TransposeOp::create(b, loc, expanded, init,
                                     ArrayRef<int64_t>{0, 2, 1, 3})
      .getResult()[0];
}

namespace {

/// The largest divisor of `size` that is at most `cap`.
static int64_t divisorAtMost(int64_t size, int64_t cap) {
  for (int64_t d = std::min(size, cap); d > 1; --d)
    if (size % d == 0)
      return d;
  return 1;
}

struct LowerPoolMix : OpRewritePattern<PoolMixOp> {
  LowerPoolMix(MLIRContext *ctx, bool streaming)
      : OpRewritePattern(ctx), streaming(streaming) {}

  LogicalResult matchAndRewrite(PoolMixOp op,
                                PatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(rewriter, op)))
      return failure();
    Location loc = op.getLoc();
    MLIRContext *ctx = op.getContext();
    ArrayRef<int64_t> shape = shapeOf(op.getQuery());
    int64_t batch = shape[0], length = shape[1], channels = shape[2];
    int64_t heads = op.getHeads(), headDim = channels / heads;
    int64_t halfWindow = op.getWindow() / 2;
    Type elementType =
        cast<RankedTensorType>(op.getQuery().getType()).getElementType();
    Value len = op.getLen();
    Value value = op.getValue() ? op.getValue() : op.getKey();

    using utils::IteratorType;
    const IteratorType par = IteratorType::parallel;
    const IteratorType red = IteratorType::reduction;
    AffineExpr d0, d1, d2, d3;
    bindDims(ctx, d0, d1, d2, d3);
    auto map = [&](ArrayRef<AffineExpr> exprs, unsigned loops) {
      return AffineMap::get(loops, 0, exprs, ctx);
    };

    // GA: g[b,c] = mean over valid t of q[b,t,c].           loops (b,t,c)
    // (channels innermost: each step reads one contiguous token)
    SmallVector<Value> sumInputs = {op.getQuery()};
    SmallVector<AffineMap> sumMaps = {map({d0, d1, d2}, 3)};
    if (len) {
      sumInputs.push_back(len);
      sumMaps.push_back(map({d0}, 3));
    }
    sumMaps.push_back(map({d0, d2}, 3));
    Value querySum = buildGeneric(
        rewriter, loc, sumInputs,
        filledTensor(rewriter, loc, {batch, channels}, 0), sumMaps,
        {par, red, par},
        [&](OpBuilder &nb, Location nl, ValueRange a) -> Value {
          Value valid =
              isValid(nb, nl, loopIndex(nb, nl, 1),
                      len ? std::optional<Value>(a[1]) : std::nullopt);
          Value element = arith::SelectOp::create(
              nb, nl, valid, toF32(nb, nl, a[0]), f32Constant(nb, nl, 0));
          return arith::AddFOp::create(nb, nl, a.back(), element);
        });
    SmallVector<Value> meanInputs = {querySum};
    SmallVector<AffineMap> meanMaps = {map({d0, d1}, 2)};
    if (len) {
      meanInputs.push_back(len);
      meanMaps.push_back(map({d0}, 2));
    }
    meanMaps.push_back(map({d0, d1}, 2));
    Value queryMean = buildGeneric(
        rewriter, loc, meanInputs,
        emptyTensor(rewriter, loc, {batch, channels}, rewriter.getF32Type()),
        meanMaps, {par, par},
        [&](OpBuilder &nb, Location nl, ValueRange a) -> Value {
          // count = clamp(len, 0, L)
          Value count = i64Constant(nb, nl, length);
          if (len) {
            Value given = arith::ExtSIOp::create(nb, nl, nb.getI64Type(), a[1]);
            count = arith::MinSIOp::create(
                nb, nl,
                arith::MaxSIOp::create(nb, nl, given, i64Constant(nb, nl, 0)),
                count);
          }
          Value countF =
              arith::SIToFPOp::create(nb, nl, nb.getF32Type(), count);
          Value zero = f32Constant(nb, nl, 0);
          Value isEmpty = arith::CmpFOp::create(
              nb, nl, arith::CmpFPredicate::OEQ, countF, zero);
          return arith::SelectOp::create(
              nb, nl, isEmpty, zero,
              arith::DivFOp::create(nb, nl, a[0], countF));
        });
    // G = softmax over valid t of g . k_t / sqrt(d), times v: attention with
    // the mean as the one query of each head.
    auto meanType = RankedTensorType::get({batch, heads, 1, headDim},
                                          rewriter.getF32Type());
    MaskedAttention pooling;
    pooling.query = tensor::ExpandShapeOp::create(
        rewriter, loc, meanType, queryMean,
        SmallVector<ReassociationIndices>{{0}, {1, 2, 3}});
    pooling.key = splitHeads(rewriter, loc, op.getKey(), heads);
    pooling.value = splitHeads(rewriter, loc, value, heads);
    pooling.scale = 1.0 / std::sqrt(static_cast<double>(headDim));
    pooling.outElementType = rewriter.getF32Type();
    if (len) {
      pooling.mask.inputs = {len};
      pooling.mask.maps = {map({d0}, 4)};
      pooling.mask.allowed = [](OpBuilder &nb, Location nl, ValueRange indices,
                                ValueRange args) {
        return isValid(nb, nl, indexToI64(nb, nl, indices[3]), args[0]);
      };
    }
    Value pooled = tensor::CollapseShapeOp::create(
        rewriter, loc, buildMaskedAttention(rewriter, loc, pooling).out,
        SmallVector<ReassociationIndices>{{0}, {1, 2, 3}});

    // SMP and LMP: max over valid t' of the same segment / within the window.
    //                                                    loops (b,t,c,t')
    const double negInf = -std::numeric_limits<double>::infinity();
    auto maxPool = [&](Value stream, bool bySegment) {
      SmallVector<Value> inputs = {stream};
      SmallVector<AffineMap> maps = {map({d0, d3, d2}, 4)};
      if (bySegment) {
        inputs.append({op.getSegmentIds(), op.getSegmentIds()});
        maps.append({map({d0, d3}, 4), map({d0, d1}, 4)});
      }
      if (len) {
        inputs.push_back(len);
        maps.push_back(map({d0}, 4));
      }
      maps.push_back(map({d0, d1, d2}, 4));
      return buildGeneric(
          rewriter, loc, inputs,
          filledTensor(rewriter, loc, {batch, length, channels}, negInf), maps,
          {par, par, par, red},
          [&](OpBuilder &nb, Location nl, ValueRange a) -> Value {
            Value t = loopIndex(nb, nl, 1), other = loopIndex(nb, nl, 3);
            Value take = isValid(nb, nl, other,
                                 len ? std::optional<Value>(a[a.size() - 2])
                                     : std::nullopt);
            Value near;
            if (bySegment) {
              near = arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::eq,
                                           a[1], a[2]);
            } else {
              Value distance = math::AbsIOp::create(
                  nb, nl, arith::SubIOp::create(nb, nl, other, t));
              near = arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::sle,
                                           distance,
                                           i64Constant(nb, nl, halfWindow));
            }
            take = arith::AndIOp::create(nb, nl, take, near);
            Value candidate = arith::SelectOp::create(
                nb, nl, take, toF32(nb, nl, a[0]), f32Constant(nb, nl, negInf));
            return arith::MaximumFOp::create(nb, nl, a.back(), candidate);
          });
    };
    Value segmentMax, localMax;
    if (!streaming) {
      segmentMax = maxPool(op.getSegmentStream(), /*bySegment=*/true);
      localMax = maxPool(op.getLocalStream(), /*bySegment=*/false);
    } else {
      localMax = buildStreamingLocalMax(rewriter, loc, op.getLocalStream(),
                                        len, halfWindow);
      // Valid ids outside [0, L) cannot index the table: such inputs take
      // the quadratic reduction (decided at run time, same result).
      Value idsFit = buildIdsInRange(rewriter, loc, op.getSegmentIds(), len);
      auto branch = scf::IfOp::create(
          rewriter, loc, idsFit,
          [&](OpBuilder &tb, Location tl) {
            scf::YieldOp::create(
                tb, tl,
                buildStreamingSegmentMax(tb, tl, op.getSegmentStream(),
                                         op.getSegmentIds(), len));
          },
          [&](OpBuilder &eb, Location el) {
            OpBuilder::InsertionGuard guard(rewriter);
            rewriter.setInsertionPoint(eb.getInsertionBlock(),
                                       eb.getInsertionPoint());
            scf::YieldOp::create(
                eb, el, maxPool(op.getSegmentStream(), /*bySegment=*/true));
          });
      segmentMax = branch.getResult(0);
    }

    // out = (G + sp) * o + lp for valid t, 0 for padded t.  loops (b,t,c)
    SmallVector<Value> inputs = {pooled, segmentMax, op.getGate(), localMax};
    SmallVector<AffineMap> maps = {map({d0, d2}, 3), map({d0, d1, d2}, 3),
                                   map({d0, d1, d2}, 3), map({d0, d1, d2}, 3)};
    if (len) {
      inputs.push_back(len);
      maps.push_back(map({d0}, 3));
    }
    maps.push_back(map({d0, d1, d2}, 3));
    Value result = buildGeneric(
        rewriter, loc, inputs,
        emptyTensor(rewriter, loc, {batch, length, channels}, elementType),
        maps, {par, par, par},
        [&](OpBuilder &nb, Location nl, ValueRange a) -> Value {
          Value mixed = arith::AddFOp::create(
              nb, nl,
              arith::MulFOp::create(nb, nl,
                                    arith::AddFOp::create(nb, nl, a[0], a[1]),
                                    toF32(nb, nl, a[2])),
              a[3]);
          Value valid =
              isValid(nb, nl, loopIndex(nb, nl, 1),
                      len ? std::optional<Value>(a[4]) : std::nullopt);
          Value out = arith::SelectOp::create(nb, nl, valid, mixed,
                                              f32Constant(nb, nl, 0));
          return fromF32(nb, nl, out, elementType);
        });
    rewriter.replaceOp(op, result);
    return success();
  }

private:
  /// lp[b,t,c] = max over valid t' with |t' - t| <= w/2 of l[b,t',c]: the
  /// stream padded with -inf by w/2 on both sides, reduced over the w taps.
  static Value buildStreamingLocalMax(OpBuilder &b, Location loc, Value stream,
                                      Value len, int64_t halfWindow) {
    MLIRContext *ctx = b.getContext();
    ArrayRef<int64_t> shape = shapeOf(stream);
    int64_t taps = 2 * halfWindow + 1;
    const double negInf = -std::numeric_limits<double>::infinity();
    Value f32Stream = tensorToF32(b, loc, stream);
    Value padded = f32Stream;
    if (halfWindow > 0) {
      SmallVector<OpFoldResult> low = {b.getIndexAttr(0),
                                       b.getIndexAttr(halfWindow),
                                       b.getIndexAttr(0)};
      padded = tensor::PadOp::create(
          b, loc,
          RankedTensorType::get({shape[0], shape[1] + 2 * halfWindow, shape[2]},
                                b.getF32Type()),
          f32Stream, low, low, f32Constant(b, loc, negInf));
    }
    AffineExpr d0, d1, d2, d3;
    bindDims(ctx, d0, d1, d2, d3);
    // The window operand only gives the tap loop its extent.
    SmallVector<Value> inputs = {
        padded, emptyTensor(b, loc, {taps}, b.getI1Type())};
    // Loops (b, t, tap, c): channels innermost, contiguous.
    SmallVector<AffineMap> maps = {AffineMap::get(4, 0, {d0, d1 + d2, d3}, ctx),
                                   AffineMap::get(4, 0, {d2}, ctx)};
    if (len) {
      inputs.push_back(len);
      maps.push_back(AffineMap::get(4, 0, {d0}, ctx));
    }
    maps.push_back(AffineMap::get(4, 0, {d0, d1, d3}, ctx));
    using utils::IteratorType;
    return buildGeneric(
        b, loc, inputs,
        filledTensor(b, loc, {shape[0], shape[1], shape[2]}, negInf), maps,
        {IteratorType::parallel, IteratorType::parallel,
         IteratorType::reduction, IteratorType::parallel},
        [&](OpBuilder &nb, Location nl, ValueRange a) -> Value {
          Value candidate = a[0];
          if (len) {
            // t' = t + tap - w/2 must be below len (the -inf padding
            // covers t' < 0 and t' >= L).
            Value other = arith::AddIOp::create(
                nb, nl, loopIndex(nb, nl, 1),
                arith::SubIOp::create(nb, nl, loopIndex(nb, nl, 2),
                                      i64Constant(nb, nl, halfWindow)));
            candidate = arith::SelectOp::create(
                nb, nl, isValid(nb, nl, other, a[2]), candidate,
                f32Constant(nb, nl, negInf));
          }
          return arith::MaximumFOp::create(nb, nl, a.back(), candidate);
        });
  }

  /// Whether every valid token's segment id lies in [0, L) (an i1).
  static Value buildIdsInRange(OpBuilder &b, Location loc, Value ids,
                               Value len) {
    MLIRContext *ctx = b.getContext();
    int64_t length = shapeOf(ids)[1];
    AffineExpr d0, d1;
    bindDims(ctx, d0, d1);
    SmallVector<Value> inputs = {ids};
    SmallVector<AffineMap> maps = {AffineMap::get(2, 0, {d0, d1}, ctx)};
    if (len) {
      inputs.push_back(len);
      maps.push_back(AffineMap::get(2, 0, {d0}, ctx));
    }
    maps.push_back(AffineMap::get(2, 0, {}, ctx));
    Value init = linalg::FillOp::create(
                     b, loc,
                     arith::ConstantOp::create(b, loc, b.getBoolAttr(true))
                         .getResult(),
                     emptyTensor(b, loc, {}, b.getI1Type()))
                     .getResult(0);
    using utils::IteratorType;
    Value fits = buildGeneric(
        b, loc, inputs, init, maps,
        {IteratorType::reduction, IteratorType::reduction},
        [&](OpBuilder &nb, Location nl, ValueRange a) -> Value {
          Value id = arith::ExtSIOp::create(nb, nl, nb.getI64Type(), a[0]);
          Value inRange = arith::AndIOp::create(
              nb, nl,
              arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::sge, id,
                                    i64Constant(nb, nl, 0)),
              arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::slt, id,
                                    i64Constant(nb, nl, length)));
          Value valid = isValid(
              nb, nl, loopIndex(nb, nl, 1),
              len ? std::optional<Value>(a[1]) : std::nullopt);
          Value ok = arith::OrIOp::create(
              nb, nl, inRange,
              arith::XOrIOp::create(
                  nb, nl, valid,
                  arith::ConstantOp::create(nb, nl, nb.getBoolAttr(true))));
          return arith::AndIOp::create(nb, nl, a.back(), ok);
        });
    return tensor::ExtractOp::create(b, loc, fits, ValueRange{});
  }

  /// sp[b,t,c] = max over valid t' of t's segment of s[b,t',c], in O(L C):
  /// for each batch row and block of channels, one pass over the valid
  /// tokens folds each into its segment's row of a [L, channels] table; then
  /// each valid token reads its segment's row. Needs ids in [0, L).
  static Value buildStreamingSegmentMax(OpBuilder &b, Location loc,
                                        Value stream, Value ids, Value len) {
    MLIRContext *ctx = b.getContext();
    ArrayRef<int64_t> shape = shapeOf(stream);
    int64_t batch = shape[0], length = shape[1], channels = shape[2];
    int64_t block = divisorAtMost(channels, 64);
    const double negInf = -std::numeric_limits<double>::infinity();
    auto index = [&](OpBuilder &nb, Location nl, int64_t v) -> Value {
      return arith::ConstantIndexOp::create(nb, nl, v);
    };
    auto slice = [&](OpBuilder &nb, Location nl, Value x,
                     ArrayRef<OpFoldResult> offsets, ArrayRef<int64_t> sizes,
                     ArrayRef<int64_t> resultShape) -> Value {
      SmallVector<OpFoldResult> strides(sizes.size(), nb.getIndexAttr(1));
      return tensor::ExtractSliceOp::create(
          nb, loc,
          RankedTensorType::get(
              resultShape,
              cast<RankedTensorType>(x.getType()).getElementType()),
          x, offsets, getAsIndexOpFoldResult(ctx, sizes), strides);
    };

    Value result = emptyTensor(b, loc, {batch, length, channels},
                               b.getF32Type());
    auto forall = scf::ForallOp::create(
        b, loc,
        ArrayRef<OpFoldResult>{b.getIndexAttr(batch),
                               b.getIndexAttr(channels / block)},
        ValueRange{result}, std::nullopt);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(forall.getTerminator());
    Value batchIndex = forall.getInductionVars()[0];
    Value channelStart =
        arith::MulIOp::create(b, loc, forall.getInductionVars()[1],
                              index(b, loc, block));
    OpFoldResult zero = b.getIndexAttr(0);

    // The number of valid tokens, clamp(len, 0, L).
    Value count = index(b, loc, length);
    if (len) {
      Value given = arith::IndexCastOp::create(
          b, loc, b.getIndexType(),
          tensor::ExtractOp::create(b, loc, len, batchIndex));
      count = arith::MinSIOp::create(
          b, loc, arith::MaxSIOp::create(b, loc, given, index(b, loc, 0)),
          count);
    }
    Value table = filledTensor(b, loc, {length, block}, negInf);
    auto fold = scf::ForOp::create(
        b, loc, index(b, loc, 0), count, index(b, loc, 1), ValueRange{table},
        [&](OpBuilder &nb, Location nl, Value token, ValueRange iterArgs) {
          Value id = arith::IndexCastOp::create(
              nb, nl, nb.getIndexType(),
              tensor::ExtractOp::create(nb, nl, ids,
                                        ValueRange{batchIndex, token}));
          Value row = slice(nb, nl, iterArgs[0], {id, zero}, {1, block},
                            {block});
          Value tokenRow =
              slice(nb, nl, stream, {batchIndex, token, channelStart},
                    {1, 1, block}, {block});
          AffineMap identity = AffineMap::getMultiDimIdentityMap(1, ctx);
          Value folded = buildGeneric(
              nb, nl, tokenRow, row, {identity, identity},
              {utils::IteratorType::parallel},
              [](OpBuilder &bb, Location bl, ValueRange a) -> Value {
                return arith::MaximumFOp::create(bb, bl, toF32(bb, bl, a[0]),
                                                 a[1]);
              });
          SmallVector<OpFoldResult> strides(2, nb.getIndexAttr(1));
          Value updated = tensor::InsertSliceOp::create(
              nb, nl, folded, iterArgs[0], ArrayRef<OpFoldResult>{id, zero},
              getAsIndexOpFoldResult(ctx, {1, block}), strides);
          scf::YieldOp::create(nb, nl, updated);
        });
    Value filled = fold.getResult(0);

    // Each valid token reads its segment's row (padded tokens read row 0;
    // the combination zeroes them).
    AffineExpr d0, d1;
    bindDims(ctx, d0, d1);
    Value tokenIds = slice(b, loc, ids, {batchIndex, zero}, {1, length},
                           {length});
    Value gathered = buildGeneric(
        b, loc, tokenIds, emptyTensor(b, loc, {length, block}, b.getF32Type()),
        {AffineMap::get(2, 0, {d0}, ctx), AffineMap::get(2, 0, {d0, d1}, ctx)},
        {utils::IteratorType::parallel, utils::IteratorType::parallel},
        [&](OpBuilder &nb, Location nl, ValueRange a) -> Value {
          Value token = linalg::IndexOp::create(nb, nl, 0);
          Value valid = arith::CmpIOp::create(
              nb, nl, arith::CmpIPredicate::slt, token, count);
          Value id = arith::SelectOp::create(
              nb, nl, valid,
              arith::IndexCastOp::create(nb, nl, nb.getIndexType(), a[0]),
              index(nb, nl, 0));
          return tensor::ExtractOp::create(
              nb, nl, filled,
              ValueRange{id, linalg::IndexOp::create(nb, nl, 1)});
        });

    b.setInsertionPointToStart(forall.getTerminator().getBody());
    SmallVector<OpFoldResult> strides(3, b.getIndexAttr(1));
    tensor::ParallelInsertSliceOp::create(
        b, loc, gathered, forall.getRegionIterArgs()[0],
        ArrayRef<OpFoldResult>{batchIndex, zero, channelStart},
        getAsIndexOpFoldResult(ctx, {1, length, block}), strides);
    return forall.getResult(0);
  }

  bool streaming;
};

} // namespace

void decompose::populatePoolMixDecompositionPatterns(
    RewritePatternSet &patterns) {
  patterns.add<LowerPoolMix>(patterns.getContext(), /*streaming=*/false);
}

void decompose::populatePoolMixStreamingPatterns(RewritePatternSet &patterns) {
  patterns.add<LowerPoolMix>(patterns.getContext(), /*streaming=*/true);
}
