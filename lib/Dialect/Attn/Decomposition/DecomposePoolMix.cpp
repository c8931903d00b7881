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

#include "mixir/Dialect/Attn/Decomposition/DecompositionUtils.h"

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
    // the mean as the one query of each head (the reference: the masked
    // attention engine on [B, H, L, d] copies; streaming: token-major passes
    // over k and v in place).
    Value pooled = streaming
                       ? buildStreamingPooling(rewriter, loc, op, queryMean)
                       : Value();
    if (!streaming) {
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
        pooling.mask.allowed = [](OpBuilder &nb, Location nl,
                                  ValueRange indices, ValueRange args) {
          return isValid(nb, nl, indexToI64(nb, nl, indices[3]), args[0]);
        };
      }
      pooled = tensor::CollapseShapeOp::create(
          rewriter, loc, buildMaskedAttention(rewriter, loc, pooling).out,
          SmallVector<ReassociationIndices>{{0}, {1, 2, 3}});
    }

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
    if (streaming) {
      // Valid ids outside [0, L) cannot index the table: such inputs take
      // the quadratic reduction (decided at run time, same result), whose
      // result is read by token instead of by id.
      Value idsFit = buildIdsInRange(rewriter, loc, op.getSegmentIds(), len);
      auto branch = scf::IfOp::create(
          rewriter, loc, idsFit,
          [&](OpBuilder &tb, Location tl) {
            scf::YieldOp::create(
                tb, tl,
                buildSegmentTable(
                    tb, tl, op.getSegmentStream(), op.getSegmentIds(),
                    buildFirstOfSegment(tb, tl, op.getSegmentIds(), len), len));
          },
          [&](OpBuilder &eb, Location el) {
            OpBuilder::InsertionGuard guard(rewriter);
            rewriter.setInsertionPoint(eb.getInsertionBlock(),
                                       eb.getInsertionPoint());
            scf::YieldOp::create(eb, el,
                                 toSegmentBlocks(eb, el,
                                                 maxPool(op.getSegmentStream(),
                                                         /*bySegment=*/true)));
          });
      rewriter.replaceOp(op, buildStreamingCombine(rewriter, loc, op, pooled,
                                                   branch.getResult(0), idsFit,
                                                   halfWindow));
      return success();
    }
    Value segmentMax = maxPool(op.getSegmentStream(), /*bySegment=*/true);
    Value localMax = maxPool(op.getLocalStream(), /*bySegment=*/false);

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
  /// out = (G + sp) * o + lp, one tile of tokens per iteration of an
  /// scf.forall over (batch, token tile): lp is the max of the w shifted
  /// row ranges of the local stream padded with -inf (one vectorizable
  /// elementwise op per tap), sp reads row `id` of the segment table (or row
  /// t of the quadratic result when `byId` is false), so that neither lp nor
  /// sp is ever written out whole.
  static Value buildStreamingCombine(OpBuilder &b, Location loc, PoolMixOp op,
                                     Value pooled, Value segments, Value byId,
                                     int64_t halfWindow) {
    MLIRContext *ctx = b.getContext();
    ArrayRef<int64_t> shape = shapeOf(op.getQuery());
    int64_t batch = shape[0], length = shape[1], channels = shape[2];
    int64_t tile = std::min<int64_t>(64, length);
    int64_t padded = (length + tile - 1) / tile * tile;
    Type f32 = b.getF32Type();
    Type elementType =
        cast<RankedTensorType>(op.getQuery().getType()).getElementType();
    Value len = op.getLen();
    const double negInf = -std::numeric_limits<double>::infinity();
    auto pad = [&](Value x, int64_t low, int64_t high, double value) {
      auto type = cast<RankedTensorType>(x.getType());
      SmallVector<int64_t> paddedShape(type.getShape());
      paddedShape[1] += low + high;
      SmallVector<OpFoldResult> lows(type.getRank(), b.getIndexAttr(0));
      SmallVector<OpFoldResult> highs(type.getRank(), b.getIndexAttr(0));
      lows[1] = b.getIndexAttr(low);
      highs[1] = b.getIndexAttr(high);
      Value padding = arith::ConstantOp::create(
          b, loc,
          type.getElementType().isInteger()
              ? TypedAttr(b.getIntegerAttr(type.getElementType(), 0))
              : TypedAttr(b.getFloatAttr(type.getElementType(), value)));
      return tensor::PadOp::create(
                 b, loc,
                 RankedTensorType::get(paddedShape, type.getElementType()), x,
                 lows, highs, padding)
          .getResult();
    };
    Value gate = pad(op.getGate(), 0, padded - length, 0);
    Value ids = pad(op.getSegmentIds(), 0, padded - length, 0);

    auto forall = scf::ForallOp::create(
        b, loc,
        ArrayRef<OpFoldResult>{b.getIndexAttr(batch),
                               b.getIndexAttr(padded / tile)},
        ValueRange{emptyTensor(b, loc, {batch, padded, channels}, elementType)},
        std::nullopt);
    {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPoint(forall.getTerminator());
      Value batchIndex = forall.getInductionVars()[0];
      Value firstToken =
          arith::MulIOp::create(b, loc, forall.getInductionVars()[1],
                                arith::ConstantIndexOp::create(b, loc, tile));
      Value firstToken64 = indexToI64(b, loc, firstToken);
      OpFoldResult zero = b.getIndexAttr(0);
      auto slice = [&](Value x, ArrayRef<OpFoldResult> offsets,
                       ArrayRef<int64_t> sizes, ArrayRef<int64_t> result) {
        return sliceOf(b, loc, x, offsets, sizes, result);
      };
      Value count = i64Constant(b, loc, length);
      if (len) {
        Value given = arith::ExtSIOp::create(
            b, loc, b.getI64Type(),
            tensor::ExtractOp::create(b, loc, len, batchIndex));
        count = arith::MinSIOp::create(
            b, loc,
            arith::MaxSIOp::create(b, loc, given, i64Constant(b, loc, 0)),
            count);
      }
      AffineMap identity = AffineMap::getMultiDimIdentityMap(2, ctx);
      SmallVector<utils::IteratorType> parallel2(2,
                                                 utils::IteratorType::parallel);
      auto position = [&](OpBuilder &nb, Location nl, int64_t shift) {
        return arith::AddIOp::create(
                   nb, nl, firstToken64,
                   arith::AddIOp::create(nb, nl, loopIndex(nb, nl, 0),
                                         i64Constant(nb, nl, shift)))
            .getResult();
      };
      // lp: the max over the taps of the valid shifted rows (each tap one
      // elementwise op, in place on the running max).
      // The tile's rows of the local stream with w/2 rows of halo on each
      // side, -inf beyond [0, L): a small per-tile copy instead of a padded
      // copy of the whole stream.
      Value localStream = op.getLocalStream();
      Type localType =
          cast<RankedTensorType>(localStream.getType()).getElementType();
      int64_t haloRows = tile + 2 * halfWindow;
      auto indexValue = [&](int64_t v) -> Value {
        return arith::ConstantIndexOp::create(b, loc, v);
      };
      // rows [t0 - w/2, t0 + T + w/2) clamped to [0, L)
      Value from = arith::MaxSIOp::create(
          b, loc,
          arith::SubIOp::create(b, loc, firstToken, indexValue(halfWindow)),
          indexValue(0));
      Value to = arith::MinSIOp::create(
          b, loc,
          arith::AddIOp::create(b, loc, firstToken,
                                indexValue(tile + halfWindow)),
          indexValue(length));
      Value rows = arith::SubIOp::create(b, loc, to, from);
      Value lowPad = arith::SubIOp::create(
          b, loc, from,
          arith::SubIOp::create(b, loc, firstToken, indexValue(halfWindow)));
      Value highPad = arith::SubIOp::create(
          b, loc, arith::SubIOp::create(b, loc, indexValue(haloRows), lowPad),
          rows);
      SmallVector<OpFoldResult> rowStrides(3, b.getIndexAttr(1));
      Value haloSource = tensor::ExtractSliceOp::create(
          b, loc,
          RankedTensorType::get({ShapedType::kDynamic, channels}, localType),
          localStream, ArrayRef<OpFoldResult>{batchIndex, from, zero},
          ArrayRef<OpFoldResult>{b.getIndexAttr(1), rows,
                                 b.getIndexAttr(channels)},
          rowStrides);
      Value halo = tensor::PadOp::create(
          b, loc, RankedTensorType::get({haloRows, channels}, localType),
          haloSource, ArrayRef<OpFoldResult>{lowPad, b.getIndexAttr(0)},
          ArrayRef<OpFoldResult>{highPad, b.getIndexAttr(0)},
          arith::ConstantOp::create(b, loc, b.getFloatAttr(localType, negInf))
              .getResult());
      Value localMax = filledTensor(b, loc, {tile, channels}, negInf);
      for (int64_t tap = 0; tap <= 2 * halfWindow; ++tap) {
        Value shifted = slice(halo, {b.getIndexAttr(tap), zero},
                              {tile, channels}, {tile, channels});
        localMax = buildGeneric(
            b, loc, {shifted}, localMax, {identity, identity}, parallel2,
            [&](OpBuilder &nb, Location nl, ValueRange a) -> Value {
              Value candidate = toF32(nb, nl, a[0]);
              if (len) {
                // t' = t + tap - w/2 must be below len (the -inf padding
                // covers t' < 0 and t' >= L).
                Value other = position(nb, nl, tap - halfWindow);
                candidate = arith::SelectOp::create(
                    nb, nl,
                    arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::slt,
                                          other, count),
                    candidate, f32Constant(nb, nl, negInf));
              }
              return arith::MaximumFOp::create(nb, nl, a[1], candidate);
            });
      }
      // sp: row id (or t) of the segment result, padded tokens row 0,
      // copied a block of channels at a time (contiguous, where a
      // per-element gather would leave the combine below scalar).
      Value tileIds = slice(ids, {batchIndex, firstToken}, {1, tile}, {tile});
      int64_t block = segmentBlock(channels);
      auto gatherRows = scf::ForOp::create(
          b, loc, indexValue(0), indexValue(tile), indexValue(1),
          ValueRange{emptyTensor(b, loc, {tile, channels}, f32)},
          [&](OpBuilder &nb, Location nl, Value r, ValueRange iterArgs) {
            Value token = arith::AddIOp::create(nb, nl, firstToken64,
                                                indexToI64(nb, nl, r));
            Value id = arith::ExtSIOp::create(
                nb, nl, nb.getI64Type(),
                tensor::ExtractOp::create(nb, nl, tileIds, ValueRange{r}));
            Value row = arith::SelectOp::create(nb, nl, byId, id, token);
            Value valid = arith::CmpIOp::create(
                nb, nl, arith::CmpIPredicate::slt, token, count);
            row = arith::SelectOp::create(nb, nl, valid, row,
                                          i64Constant(nb, nl, 0));
            Value rowIndex =
                arith::IndexCastOp::create(nb, nl, nb.getIndexType(), row);
            auto blocks = scf::ForOp::create(
                nb, nl, arith::ConstantIndexOp::create(nb, nl, 0),
                arith::ConstantIndexOp::create(nb, nl, channels / block),
                arith::ConstantIndexOp::create(nb, nl, 1),
                ValueRange{iterArgs[0]},
                [&](OpBuilder &kb, Location kl, Value k, ValueRange rows) {
                  Value source =
                      sliceOf(kb, kl, segments, {batchIndex, k, rowIndex, zero},
                              {1, 1, 1, block}, {1, block});
                  Value column = arith::MulIOp::create(
                      kb, kl, k, arith::ConstantIndexOp::create(kb, kl, block));
                  SmallVector<OpFoldResult> strides(2, kb.getIndexAttr(1));
                  Value updated = tensor::InsertSliceOp::create(
                      kb, kl, source, rows[0],
                      ArrayRef<OpFoldResult>{r, column},
                      getAsIndexOpFoldResult(ctx, {1, block}), strides);
                  scf::YieldOp::create(kb, kl, updated);
                });
            scf::YieldOp::create(nb, nl, blocks.getResult(0));
          });
      Value segmentMax = gatherRows.getResult(0);
      // out = (G + sp) * o + lp for valid t, 0 for padded t.
      Value globalRow =
          slice(pooled, {batchIndex, zero}, {1, channels}, {channels});
      Value gateTile = slice(gate, {batchIndex, firstToken, zero},
                             {1, tile, channels}, {tile, channels});
      // Written in place into the tile's rows of the result (no per-tile
      // buffer copied out afterwards).
      Value outTile =
          slice(forall.getRegionIterArgs()[0], {batchIndex, firstToken, zero},
                {1, tile, channels}, {tile, channels});
      Value out = buildGeneric(
          b, loc, {globalRow, segmentMax, gateTile, localMax}, outTile,
          {AffineMap::get(2, 0, {getAffineDimExpr(1, ctx)}, ctx), identity,
           identity, identity, identity},
          parallel2, [&](OpBuilder &nb, Location nl, ValueRange a) -> Value {
            Value mixed = arith::AddFOp::create(
                nb, nl,
                arith::MulFOp::create(nb, nl,
                                      arith::AddFOp::create(nb, nl, a[0], a[1]),
                                      toF32(nb, nl, a[2])),
                a[3]);
            Value valid = arith::CmpIOp::create(
                nb, nl, arith::CmpIPredicate::slt, position(nb, nl, 0), count);
            return fromF32(nb, nl,
                           arith::SelectOp::create(nb, nl, valid, mixed,
                                                   f32Constant(nb, nl, 0)),
                           elementType);
          });
      b.setInsertionPointToStart(forall.getTerminator().getBody());
      SmallVector<OpFoldResult> strides(3, b.getIndexAttr(1));
      tensor::ParallelInsertSliceOp::create(
          b, loc, out, forall.getRegionIterArgs()[0],
          ArrayRef<OpFoldResult>{batchIndex, firstToken, zero},
          getAsIndexOpFoldResult(ctx, {1, tile, channels}), strides);
    }
    Value result = forall.getResult(0);
    if (padded != length) {
      SmallVector<OpFoldResult> offsets(3, b.getIndexAttr(0));
      SmallVector<OpFoldResult> strides(3, b.getIndexAttr(1));
      result = tensor::ExtractSliceOp::create(
          b, loc, RankedTensorType::get(shape, elementType), result, offsets,
          getAsIndexOpFoldResult(ctx, shape), strides);
    }
    return result;
  }

  /// G[b, c] of the global attention pooling in token-major passes that
  /// read k and v in place ([B, L, C], no per-head copies):
  ///   z[b,h,t] = g[b,h,:] . k[b,t,h,:] / sqrt(d)   (-inf for t >= len)
  ///   e = exp(z - max_t z), l[b,h] = sum_t e, G[b,c] = sum_t e v[b,t,c] / l.
  static Value buildStreamingPooling(OpBuilder &b, Location loc, PoolMixOp op,
                                     Value queryMean) {
    MLIRContext *ctx = b.getContext();
    ArrayRef<int64_t> shape = shapeOf(op.getQuery());
    int64_t batch = shape[0], length = shape[1], channels = shape[2];
    int64_t heads = op.getHeads(), headDim = channels / heads;
    Value len = op.getLen();
    Value value = op.getValue() ? op.getValue() : op.getKey();
    const double negInf = -std::numeric_limits<double>::infinity();
    using utils::IteratorType;
    const IteratorType par = IteratorType::parallel;
    const IteratorType red = IteratorType::reduction;
    AffineExpr d0, d1, d2, d3;
    bindDims(ctx, d0, d1, d2, d3);
    auto map = [&](ArrayRef<AffineExpr> exprs, unsigned loops) {
      return AffineMap::get(loops, 0, exprs, ctx);
    };
    // z: loops (b, t, h, d), on views of g as [B, H, d] and k as [B, L, H, d]
    Value meanByHead = tensor::ExpandShapeOp::create(
        b, loc, RankedTensorType::get({batch, heads, headDim}, b.getF32Type()),
        queryMean, SmallVector<ReassociationIndices>{{0}, {1, 2}});
    auto keyType = cast<RankedTensorType>(op.getKey().getType());
    Value keyByHead = tensor::ExpandShapeOp::create(
        b, loc,
        RankedTensorType::get({batch, length, heads, headDim},
                              keyType.getElementType()),
        op.getKey(), SmallVector<ReassociationIndices>{{0}, {1}, {2, 3}});
    Value dots = buildGeneric(
        b, loc, {meanByHead, keyByHead},
        filledTensor(b, loc, {batch, length, heads}, 0),
        {map({d0, d2, d3}, 4), map({d0, d1, d2, d3}, 4), map({d0, d1, d2}, 4)},
        {par, par, par, red},
        [](OpBuilder &nb, Location nl, ValueRange a) -> Value {
          return arith::AddFOp::create(
              nb, nl, a[2],
              arith::MulFOp::create(nb, nl, a[0], toF32(nb, nl, a[1])));
        });
    double scale = 1.0 / std::sqrt(static_cast<double>(headDim));
    SmallVector<Value> logitInputs = {dots};
    SmallVector<AffineMap> logitMaps = {map({d0, d1, d2}, 3)};
    if (len) {
      logitInputs.push_back(len);
      logitMaps.push_back(map({d0}, 3));
    }
    logitMaps.push_back(map({d0, d1, d2}, 3));
    Value logits = buildGeneric(
        b, loc, logitInputs,
        emptyTensor(b, loc, {batch, length, heads}, b.getF32Type()), logitMaps,
        {par, par, par},
        [&](OpBuilder &nb, Location nl, ValueRange a) -> Value {
          Value x =
              arith::MulFOp::create(nb, nl, a[0], f32Constant(nb, nl, scale));
          if (!len)
            return x;
          return arith::SelectOp::create(
              nb, nl, isValid(nb, nl, loopIndex(nb, nl, 1), a[1]), x,
              f32Constant(nb, nl, negInf));
        });
    // m[b,h] = max_t z                                     loops (b, t, h)
    Value rowMax = buildGeneric(
        b, loc, logits, filledTensor(b, loc, {batch, heads}, negInf),
        {map({d0, d1, d2}, 3), map({d0, d2}, 3)}, {par, red, par},
        [](OpBuilder &nb, Location nl, ValueRange a) -> Value {
          return arith::MaximumFOp::create(nb, nl, a[0], a[1]);
        });
    // e = exp(z - m), m = -inf read as 0 (no valid token: all e = 0)
    Value weights = buildGeneric(
        b, loc, {logits, rowMax},
        emptyTensor(b, loc, {batch, length, heads}, b.getF32Type()),
        {map({d0, d1, d2}, 3), map({d0, d2}, 3), map({d0, d1, d2}, 3)},
        {par, par, par},
        [&](OpBuilder &nb, Location nl, ValueRange a) -> Value {
          Value isEmpty =
              arith::CmpFOp::create(nb, nl, arith::CmpFPredicate::OEQ, a[1],
                                    f32Constant(nb, nl, negInf));
          Value safeMax = arith::SelectOp::create(nb, nl, isEmpty,
                                                  f32Constant(nb, nl, 0), a[1]);
          return math::ExpOp::create(
              nb, nl, arith::SubFOp::create(nb, nl, a[0], safeMax));
        });
    Value rowSum =
        buildGeneric(b, loc, weights, filledTensor(b, loc, {batch, heads}, 0),
                     {map({d0, d1, d2}, 3), map({d0, d2}, 3)}, {par, red, par},
                     [](OpBuilder &nb, Location nl, ValueRange a) -> Value {
                       return arith::AddFOp::create(nb, nl, a[0], a[1]);
                     });
    // sum_t e v                                            loops (b, t, c)
    Value weighted = buildGeneric(
        b, loc, {weights, value}, filledTensor(b, loc, {batch, channels}, 0),
        {map({d0, d1, d2.floorDiv(headDim)}, 3), map({d0, d1, d2}, 3),
         map({d0, d2}, 3)},
        {par, red, par}, [](OpBuilder &nb, Location nl, ValueRange a) -> Value {
          return arith::AddFOp::create(
              nb, nl, a[2],
              arith::MulFOp::create(nb, nl, a[0], toF32(nb, nl, a[1])));
        });
    return buildGeneric(
        b, loc, {weighted, rowSum},
        emptyTensor(b, loc, {batch, channels}, b.getF32Type()),
        {map({d0, d1}, 2), map({d0, d1.floorDiv(headDim)}, 2),
         map({d0, d1}, 2)},
        {par, par}, [](OpBuilder &nb, Location nl, ValueRange a) -> Value {
          Value zero = f32Constant(nb, nl, 0);
          Value isEmpty = arith::CmpFOp::create(
              nb, nl, arith::CmpFPredicate::OEQ, a[1], zero);
          return arith::SelectOp::create(
              nb, nl, isEmpty, zero, arith::DivFOp::create(nb, nl, a[0], a[1]));
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
    Value init =
        linalg::FillOp::create(
            b, loc,
            arith::ConstantOp::create(b, loc, b.getBoolAttr(true)).getResult(),
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
          Value valid =
              isValid(nb, nl, loopIndex(nb, nl, 1),
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

  /// The number of valid tokens of batch row `batchIndex`, clamp(len, 0, L)
  /// (L without `len`), as an index.
  static Value validTokenCount(OpBuilder &b, Location loc, Value len,
                               Value batchIndex, int64_t length) {
    Value count = arith::ConstantIndexOp::create(b, loc, length);
    if (!len)
      return count;
    Value given = arith::IndexCastOp::create(
        b, loc, b.getIndexType(),
        tensor::ExtractOp::create(b, loc, len, batchIndex));
    return arith::MinSIOp::create(
        b, loc,
        arith::MaxSIOp::create(b, loc, given,
                               arith::ConstantIndexOp::create(b, loc, 0)),
        count);
  }

  /// first[b, t] = 1 (i8) where valid token t is the first of its segment
  /// (ids in [0, L)), 0 elsewhere: one sequential pass over the ids with a
  /// table of the ids seen so far.
  static Value buildFirstOfSegment(OpBuilder &b, Location loc, Value ids,
                                   Value len) {
    ArrayRef<int64_t> shape = shapeOf(ids);
    int64_t batch = shape[0], length = shape[1];
    Type i8 = b.getI8Type();
    auto index = [&](OpBuilder &nb, Location nl, int64_t v) -> Value {
      return arith::ConstantIndexOp::create(nb, nl, v);
    };
    auto byte = [&](OpBuilder &nb, Location nl, int64_t v) -> Value {
      return arith::ConstantOp::create(nb, nl, nb.getI8IntegerAttr(v));
    };
    Value first = linalg::FillOp::create(
                      b, loc, ValueRange{byte(b, loc, 0)},
                      ValueRange{emptyTensor(b, loc, {batch, length}, i8)})
                      .getResult(0);
    auto batches = scf::ForOp::create(
        b, loc, index(b, loc, 0), index(b, loc, batch), index(b, loc, 1),
        ValueRange{first},
        [&](OpBuilder &bb, Location bl, Value batchIndex, ValueRange outer) {
          Value count = validTokenCount(bb, bl, len, batchIndex, length);
          Value seen = linalg::FillOp::create(
                           bb, bl, ValueRange{byte(bb, bl, 0)},
                           ValueRange{emptyTensor(bb, bl, {length}, i8)})
                           .getResult(0);
          auto tokens = scf::ForOp::create(
              bb, bl, index(bb, bl, 0), count, index(bb, bl, 1),
              ValueRange{outer[0], seen},
              [&](OpBuilder &nb, Location nl, Value token, ValueRange state) {
                Value id = arith::IndexCastOp::create(
                    nb, nl, nb.getIndexType(),
                    tensor::ExtractOp::create(nb, nl, ids,
                                              ValueRange{batchIndex, token}));
                Value wasSeen = tensor::ExtractOp::create(nb, nl, state[1], id);
                Value isFirst = arith::CmpIOp::create(
                    nb, nl, arith::CmpIPredicate::eq, wasSeen, byte(nb, nl, 0));
                Value flag =
                    arith::ExtUIOp::create(nb, nl, nb.getI8Type(), isFirst);
                Value firsts = tensor::InsertOp::create(
                    nb, nl, flag, state[0], ValueRange{batchIndex, token});
                Value seenNow = tensor::InsertOp::create(
                    nb, nl, byte(nb, nl, 1), state[1], ValueRange{id});
                scf::YieldOp::create(nb, nl, ValueRange{firsts, seenNow});
              });
          scf::YieldOp::create(bb, bl, tokens.getResult(0));
        });
    return batches.getResult(0);
  }

  /// The channels of a block of the segment table: a block's rows are
  /// contiguous, so that the threads filling the blocks share no page.
  static int64_t segmentBlock(int64_t channels) {
    return divisorAtMost(channels, 64);
  }

  /// [B, L, C] -> [B, C / block, L, block], the segment table's layout.
  static Value toSegmentBlocks(OpBuilder &b, Location loc, Value x) {
    ArrayRef<int64_t> shape = shapeOf(x);
    int64_t batch = shape[0], length = shape[1], channels = shape[2];
    int64_t block = segmentBlock(channels), blocks = channels / block;
    Type f32 = b.getF32Type();
    Value split = tensor::ExpandShapeOp::create(
        b, loc, RankedTensorType::get({batch, length, blocks, block}, f32), x,
        SmallVector<ReassociationIndices>{{0}, {1}, {2, 3}});
    return linalg::TransposeOp::create(
               b, loc, split,
               emptyTensor(b, loc, {batch, blocks, length, block}, f32),
               ArrayRef<int64_t>{0, 2, 1, 3})
        .getResult()[0];
  }

  /// table[b, n / block, id, n % block] = max over valid t with
  /// segment_ids[t] = id of s[b, t, n], block-major, in O(L C): for each
  /// batch row and block of channels, one pass over the valid tokens folds
  /// each into its segment's row. Needs ids in [0, L). The first token of a
  /// segment writes its row, later ones take the max: rows of ids that no
  /// token has are never written (nor filled), so the table costs only the
  /// pages of the segments present (sentence ids use a few rows).
  static Value buildSegmentTable(OpBuilder &b, Location loc, Value stream,
                                 Value ids, Value firstOfSegment, Value len) {
    MLIRContext *ctx = b.getContext();
    ArrayRef<int64_t> shape = shapeOf(stream);
    int64_t batch = shape[0], length = shape[1], channels = shape[2];
    int64_t block = segmentBlock(channels);
    auto index = [&](OpBuilder &nb, Location nl, int64_t v) -> Value {
      return arith::ConstantIndexOp::create(nb, nl, v);
    };

    Value result = emptyTensor(b, loc, {batch, channels / block, length, block},
                               b.getF32Type());
    auto forall = scf::ForallOp::create(
        b, loc,
        ArrayRef<OpFoldResult>{b.getIndexAttr(batch),
                               b.getIndexAttr(channels / block)},
        ValueRange{result}, std::nullopt);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(forall.getTerminator());
    Value batchIndex = forall.getInductionVars()[0];
    Value channelStart = arith::MulIOp::create(
        b, loc, forall.getInductionVars()[1], index(b, loc, block));
    OpFoldResult zero = b.getIndexAttr(0);

    Value count = validTokenCount(b, loc, len, batchIndex, length);
    // The table is the block's columns of the result itself (no [L, block]
    // buffer per block copied into it afterwards).
    Value table =
        sliceOf(b, loc, forall.getRegionIterArgs()[0],
                {batchIndex, forall.getInductionVars()[1], zero, zero},
                {1, 1, length, block}, {length, block});
    auto fold = scf::ForOp::create(
        b, loc, index(b, loc, 0), count, index(b, loc, 1), ValueRange{table},
        [&](OpBuilder &nb, Location nl, Value token, ValueRange iterArgs) {
          Value id = arith::IndexCastOp::create(
              nb, nl, nb.getIndexType(),
              tensor::ExtractOp::create(nb, nl, ids,
                                        ValueRange{batchIndex, token}));
          Value row =
              sliceOf(nb, nl, iterArgs[0], {id, zero}, {1, block}, {block});
          Value tokenRow =
              sliceOf(nb, nl, stream, {batchIndex, token, channelStart},
                      {1, 1, block}, {block});
          Value isFirst = arith::CmpIOp::create(
              nb, nl, arith::CmpIPredicate::ne,
              tensor::ExtractOp::create(nb, nl, firstOfSegment,
                                        ValueRange{batchIndex, token}),
              arith::ConstantOp::create(nb, nl, nb.getI8IntegerAttr(0)));
          AffineMap identity = AffineMap::getMultiDimIdentityMap(1, ctx);
          Value folded = buildGeneric(
              nb, nl, tokenRow, row, {identity, identity},
              {utils::IteratorType::parallel},
              [&](OpBuilder &bb, Location bl, ValueRange a) -> Value {
                Value value = toF32(bb, bl, a[0]);
                return arith::SelectOp::create(
                    bb, bl, isFirst, value,
                    arith::MaximumFOp::create(bb, bl, value, a[1]));
              });
          SmallVector<OpFoldResult> strides(2, nb.getIndexAttr(1));
          Value updated = tensor::InsertSliceOp::create(
              nb, nl, folded, iterArgs[0], ArrayRef<OpFoldResult>{id, zero},
              getAsIndexOpFoldResult(ctx, {1, block}), strides);
          scf::YieldOp::create(nb, nl, updated);
        });
    Value filled = fold.getResult(0);

    b.setInsertionPointToStart(forall.getTerminator().getBody());
    SmallVector<OpFoldResult> strides(4, b.getIndexAttr(1));
    tensor::ParallelInsertSliceOp::create(
        b, loc, filled, forall.getRegionIterArgs()[0],
        ArrayRef<OpFoldResult>{batchIndex, forall.getInductionVars()[1], zero,
                               zero},
        getAsIndexOpFoldResult(ctx, {1, 1, length, block}), strides);
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
