//===- DecomposePoolMix.cpp - reference lowering of PoNet -----------------===//
//
// Rewrites attn.pool_mix: the global attention pooling is the masked
// attention engine with the per-head mean of q as a single query (mask: valid
// keys); segment and local max-pooling are reductions over all positions
// with a predicate (O(L^2 C), fine for the reference); one elementwise op
// combines them and zeroes the padded tokens.
//
//===----------------------------------------------------------------------===//

#include "DecompositionUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
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

struct DecomposePoolMix : OpRewritePattern<PoolMixOp> {
  using OpRewritePattern::OpRewritePattern;

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

    // GA: g[b,c] = mean over valid t of q[b,t,c].           loops (b,c,t)
    SmallVector<Value> sumInputs = {op.getQuery()};
    SmallVector<AffineMap> sumMaps = {map({d0, d2, d1}, 3)};
    if (len) {
      sumInputs.push_back(len);
      sumMaps.push_back(map({d0}, 3));
    }
    sumMaps.push_back(map({d0, d1}, 3));
    Value querySum = buildGeneric(
        rewriter, loc, sumInputs,
        filledTensor(rewriter, loc, {batch, channels}, 0), sumMaps,
        {par, par, red},
        [&](OpBuilder &nb, Location nl, ValueRange a) -> Value {
          Value valid =
              isValid(nb, nl, loopIndex(nb, nl, 2),
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
};

} // namespace

void decompose::populatePoolMixDecompositionPatterns(
    RewritePatternSet &patterns) {
  patterns.add<DecomposePoolMix>(patterns.getContext());
}
