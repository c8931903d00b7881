//===- DecomposeRoutedAttention.cpp - reference lowering of BiFormer ------===//
//
// Rewrites attn.routed_attention: region means of q and k (f64, so that the
// top-k ranking matches the float64 reference on near ties), the region
// affinity, the rank of every key region in each query region's row (ties to
// the lower index), and the masked attention engine with "the key's region
// ranks below topk for the query's region" as its mask.
//
//===----------------------------------------------------------------------===//

#include "mixir/Dialect/Attn/Decomposition/DecompositionUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <limits>

using namespace mlir;
using namespace mixir::attn;
using namespace mixir::attn::decompose;

namespace {

/// How tokens group into regions: the token axis L expands into `tokenDims`
/// (row-major), of which `regionDims` index the region and the others the
/// token inside it.
struct RegionLayout {
  /// Sizes the token axis expands into: [R, r] (1-D) or [RH, hr, RW, wr].
  SmallVector<int64_t> tokenDims;
  int64_t regionCount = 0;
  int64_t tokensPerRegion = 0;
  /// region(t) as an affine expression of the token position.
  AffineExpr regionOf(AffineExpr token) const {
    if (tokenDims.size() == 2)
      return token.floorDiv(tokenDims[1]);
    int64_t gridWidth = tokenDims[2] * tokenDims[3];
    AffineExpr row = token.floorDiv(gridWidth);
    AffineExpr col = token % gridWidth;
    return row.floorDiv(tokenDims[1]) * tokenDims[2] +
           col.floorDiv(tokenDims[3]);
  }
};

} // namespace

template <typename OpTy>
static RegionLayout getRegionLayout(OpTy op, int64_t length) {
  RegionLayout layout;
  layout.tokensPerRegion = tokensPerRegion(op);
  layout.regionCount = length / layout.tokensPerRegion;
  if (op.getRegionSizeAttr()) {
    layout.tokenDims = {layout.regionCount, layout.tokensPerRegion};
    return layout;
  }
  ArrayRef<int64_t> grid = *op.getGrid(), regions = *op.getRegions();
  layout.tokenDims = {regions[0], grid[0] / regions[0], regions[1],
                      grid[1] / regions[1]};
  return layout;
}

/// xr[b, n, h * D + d] = mean over the tokens t of region n of x[b, h, t, d],
/// in f64.
static Value buildRegionMeans(OpBuilder &b, Location loc, Value x,
                              const RegionLayout &layout) {
  MLIRContext *ctx = b.getContext();
  ArrayRef<int64_t> shape = shapeOf(x); // [B, H, L, D]
  int64_t batch = shape[0], heads = shape[1], dim = shape[3];
  unsigned tokenRank = layout.tokenDims.size();
  // [B, H, L, D] -> [B, H, tokenDims..., D]
  SmallVector<int64_t> expandedShape = {batch, heads};
  llvm::append_range(expandedShape, layout.tokenDims);
  expandedShape.push_back(dim);
  ReassociationIndices tokenGroup;
  for (unsigned i = 0; i < tokenRank; ++i)
    tokenGroup.push_back(2 + i);
  SmallVector<ReassociationIndices> reassociation = {
      {0}, {1}, tokenGroup, {static_cast<int64_t>(2 + tokenRank)}};
  auto expandedType = RankedTensorType::get(
      expandedShape, cast<RankedTensorType>(x.getType()).getElementType());
  Value expanded =
      tensor::ExpandShapeOp::create(b, loc, expandedType, x, reassociation);

  // Loops (b, h, tokenDims..., d); the region dims are parallel, the
  // in-region dims reductions. Output [B, regionDims..., H, D].
  unsigned loops = expandedShape.size();
  SmallVector<utils::IteratorType> iterators(loops,
                                             utils::IteratorType::parallel);
  SmallVector<AffineExpr> outExprs = {getAffineDimExpr(0, ctx)};
  SmallVector<int64_t> outShape = {batch};
  for (unsigned i = 0; i < tokenRank; i += 2) {
    outExprs.push_back(getAffineDimExpr(2 + i, ctx));
    outShape.push_back(layout.tokenDims[i]);
    iterators[2 + i + 1] = utils::IteratorType::reduction;
  }
  outExprs.push_back(getAffineDimExpr(1, ctx));
  outExprs.push_back(getAffineDimExpr(loops - 1, ctx));
  outShape.push_back(heads);
  outShape.push_back(dim);
  double weight = 1.0 / static_cast<double>(layout.tokensPerRegion);
  Value sums = buildGeneric(
      b, loc, expanded, filledTensorOf(b, loc, outShape, b.getF64FloatAttr(0)),
      {AffineMap::getMultiDimIdentityMap(loops, ctx),
       AffineMap::get(loops, 0, outExprs, ctx)},
      iterators, [&](OpBuilder &nb, Location nl, ValueRange a) -> Value {
        Value element = arith::ExtFOp::create(nb, nl, nb.getF64Type(), a[0]);
        Value scaled = arith::MulFOp::create(
            nb, nl, element,
            arith::ConstantOp::create(nb, nl, nb.getF64FloatAttr(weight)));
        return arith::AddFOp::create(nb, nl, a[1], scaled);
      });
  // [B, regionDims..., H, D] -> [B, R, H * D]
  unsigned regionRank = tokenRank / 2;
  ReassociationIndices regionGroup;
  for (unsigned i = 0; i < regionRank; ++i)
    regionGroup.push_back(1 + i);
  return tensor::CollapseShapeOp::create(
      b, loc, sums,
      SmallVector<ReassociationIndices>{
          {0},
          regionGroup,
          {static_cast<int64_t>(1 + regionRank),
           static_cast<int64_t>(2 + regionRank)}});
}

/// A[b,n,m] = qr[b,n,:] . kr[b,m,:] (f64) of the region means.
template <typename OpTy>
static Value buildRoutingAffinity(OpBuilder &b, Location loc, OpTy op) {
  MLIRContext *ctx = op.getContext();
  ArrayRef<int64_t> shape = shapeOf(op.getQuery());
  int64_t batch = shape[0], length = shape[2];
  RegionLayout layout = getRegionLayout(op, length);
  int64_t regions = layout.regionCount;
  Value queryMeans = buildRegionMeans(b, loc, op.getQuery(), layout);
  Value keyMeans = buildRegionMeans(b, loc, op.getKey(), layout);
  using utils::IteratorType;
  AffineExpr d0, d1, d2, d3;
  bindDims(ctx, d0, d1, d2, d3);
  //                                                loops (b,n,m,c)
  return buildGeneric(
      b, loc, {queryMeans, keyMeans},
      filledTensorOf(b, loc, {batch, regions, regions}, b.getF64FloatAttr(0)),
      {AffineMap::get(4, 0, {d0, d1, d3}, ctx),
       AffineMap::get(4, 0, {d0, d2, d3}, ctx),
       AffineMap::get(4, 0, {d0, d1, d2}, ctx)},
      {IteratorType::parallel, IteratorType::parallel, IteratorType::parallel,
       IteratorType::reduction},
      [](OpBuilder &nb, Location nl, ValueRange a) -> Value {
        return arith::AddFOp::create(nb, nl, a[2],
                                     arith::MulFOp::create(nb, nl, a[0], a[1]));
      });
}

Value decompose::buildRoutingRanks(OpBuilder &b, Location loc,
                                   RoutedAttentionOp op) {
  MLIRContext *ctx = op.getContext();
  Value affinity = buildRoutingAffinity(b, loc, op);
  ArrayRef<int64_t> affinityShape = shapeOf(affinity);
  using utils::IteratorType;
  const IteratorType par = IteratorType::parallel;
  const IteratorType red = IteratorType::reduction;
  AffineExpr d0, d1, d2, d3;
  bindDims(ctx, d0, d1, d2, d3);
  // rank[b,n,m] = #{m2 : A[n,m2] > A[n,m] or (A[n,m2] == A[n,m], m2 < m)}:
  // region m is routed to n iff rank < topk.      loops (b,n,m,m2)
  Value rank = buildGeneric(
      b, loc, {affinity, affinity},
      filledTensorOf(b, loc, affinityShape, b.getI64IntegerAttr(0)),
      {AffineMap::get(4, 0, {d0, d1, d3}, ctx),
       AffineMap::get(4, 0, {d0, d1, d2}, ctx),
       AffineMap::get(4, 0, {d0, d1, d2}, ctx)},
      {par, par, par, red},
      [](OpBuilder &nb, Location nl, ValueRange a) -> Value {
        Value other = a[0], self = a[1];
        Value greater = arith::CmpFOp::create(nb, nl, arith::CmpFPredicate::OGT,
                                              other, self);
        Value equal = arith::CmpFOp::create(nb, nl, arith::CmpFPredicate::OEQ,
                                            other, self);
        Value lowerIndex =
            arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::ult,
                                  linalg::IndexOp::create(nb, nl, 3),
                                  linalg::IndexOp::create(nb, nl, 2));
        Value beats = arith::OrIOp::create(
            nb, nl, greater, arith::AndIOp::create(nb, nl, equal, lowerIndex));
        return arith::AddIOp::create(
            nb, nl, a[2],
            arith::ExtUIOp::create(nb, nl, nb.getI64Type(), beats));
      });

  return rank;
}

/// buildRoutedLayout for either op (they share the routing attributes).
template <typename OpTy>
static Value buildRoutedLayoutOf(OpBuilder &b, Location loc, OpTy op) {
  MLIRContext *ctx = op.getContext();
  Value affinity = buildRoutingAffinity(b, loc, op);
  ArrayRef<int64_t> affinityShape = shapeOf(affinity);
  int64_t batch = affinityShape[0], regions = affinityShape[1];
  int64_t passes = std::min<int64_t>(op.getTopk(), regions);
  using utils::IteratorType;
  const IteratorType par = IteratorType::parallel;
  const IteratorType red = IteratorType::reduction;
  AffineExpr d0, d1, d2;
  bindDims(ctx, d0, d1, d2);
  AffineMap all = AffineMap::get(3, 0, {d0, d1, d2}, ctx);
  AffineMap row = AffineMap::get(3, 0, {d0, d1}, ctx);
  // (v, i) comes before (w, j) in the routing order: larger affinity first,
  // ties to the lower index.
  auto before = [](OpBuilder &nb, Location nl, Value v, Value i, Value w,
                   Value j) -> Value {
    Value greater =
        arith::CmpFOp::create(nb, nl, arith::CmpFPredicate::OGT, v, w);
    Value equal =
        arith::CmpFOp::create(nb, nl, arith::CmpFPredicate::OEQ, v, w);
    Value lower =
        arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::slt, i, j);
    return arith::OrIOp::create(nb, nl, greater,
                                arith::AndIOp::create(nb, nl, equal, lower));
  };
  // The last region selected so far, per (b, n): starts before everything.
  Value lastValue = filledTensorOf(
      b, loc, {batch, regions},
      b.getF64FloatAttr(std::numeric_limits<double>::infinity()));
  Value lastIndex =
      filledTensorOf(b, loc, {batch, regions}, b.getI64IntegerAttr(-1));
  for (int64_t pass = 0; pass < passes; ++pass) {
    // The first region in the order after the last one selected.
    Value bestValue = filledTensorOf(
        b, loc, {batch, regions},
        b.getF64FloatAttr(-std::numeric_limits<double>::infinity()));
    Value bestIndex =
        filledTensorOf(b, loc, {batch, regions}, b.getI64IntegerAttr(regions));
    auto select = linalg::GenericOp::create(
        b, loc, TypeRange{bestValue.getType(), bestIndex.getType()},
        ValueRange{affinity, lastValue, lastIndex},
        ValueRange{bestValue, bestIndex}, {all, row, row, row, row},
        {par, par, red}, [&](OpBuilder &nb, Location nl, ValueRange a) {
          Value m = indexToI64(nb, nl, linalg::IndexOp::create(nb, nl, 2));
          Value after = before(nb, nl, a[1], a[2], a[0], m);
          Value better = arith::AndIOp::create(
              nb, nl, after, before(nb, nl, a[0], m, a[3], a[4]));
          linalg::YieldOp::create(
              nb, nl,
              ValueRange{arith::SelectOp::create(nb, nl, better, a[0], a[3]),
                         arith::SelectOp::create(nb, nl, better, m, a[4])});
        });
    lastValue = select.getResult(0);
    lastIndex = select.getResult(1);
  }
  // routed[b,n,m]: (A, m) is the last one selected or before it.
  return buildGeneric(
      b, loc, {affinity, lastValue, lastIndex},
      emptyTensor(b, loc, affinityShape, b.getI1Type()), {all, row, row, all},
      {par, par, par}, [&](OpBuilder &nb, Location nl, ValueRange a) -> Value {
        Value m = indexToI64(nb, nl, linalg::IndexOp::create(nb, nl, 2));
        Value isLast =
            arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::eq, m, a[2]);
        return arith::OrIOp::create(nb, nl, isLast,
                                    before(nb, nl, a[0], m, a[1], a[2]));
      });
}

Value decompose::buildRoutedLayout(OpBuilder &b, Location loc,
                                   RoutedAttentionOp op) {
  return buildRoutedLayoutOf(b, loc, op);
}

Value decompose::buildRoutedLayout(OpBuilder &b, Location loc,
                                   RoutingLayoutOp op) {
  return buildRoutedLayoutOf(b, loc, op);
}

namespace {

struct DecomposeRoutedAttention : OpRewritePattern<RoutedAttentionOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(RoutedAttentionOp op,
                                PatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(rewriter, op)))
      return failure();
    Location loc = op.getLoc();
    MLIRContext *ctx = op.getContext();
    ArrayRef<int64_t> shape = shapeOf(op.getQuery());
    RegionLayout layout = getRegionLayout(op, shape[2]);
    Value rank = buildRoutingRanks(rewriter, loc, op);
    AffineExpr d0, d1, d2, d3;
    bindDims(ctx, d0, d1, d2, d3);

    MaskedAttention problem;
    problem.query = op.getQuery();
    problem.key = op.getKey();
    problem.value = op.getValue();
    problem.scale = scaleOrDefault(op.getScaleAttr(), shape[3]);
    problem.outElementType =
        cast<RankedTensorType>(op.getQuery().getType()).getElementType();
    problem.mask.inputs.push_back(rank);
    problem.mask.maps.push_back(AffineMap::get(
        4, 0, {d0, layout.regionOf(d2), layout.regionOf(d3)}, ctx));
    int64_t topk = op.getTopk();
    problem.mask.allowed = [topk](OpBuilder &nb, Location nl, ValueRange,
                                  ValueRange args) {
      return arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::slt, args[0],
                                   i64Constant(nb, nl, topk))
          .getResult();
    };
    rewriter.replaceOp(op, buildMaskedAttention(rewriter, loc, problem).out);
    return success();
  }
};

/// The routing layout attn-tile separates from routed attention: the
/// selection passes of buildRoutedLayout.
struct DecomposeRoutingLayout : OpRewritePattern<RoutingLayoutOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(RoutingLayoutOp op,
                                PatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(rewriter, op)))
      return failure();
    rewriter.replaceOp(op, buildRoutedLayout(rewriter, op.getLoc(), op));
    return success();
  }
};

} // namespace

void decompose::populateRoutedAttentionDecompositionPatterns(
    RewritePatternSet &patterns) {
  patterns.add<DecomposeRoutedAttention, DecomposeRoutingLayout>(
      patterns.getContext());
}
