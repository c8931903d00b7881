//===- DecomposeHyena.cpp - reference lowering of Hyena -------------------===//
//
// Rewrites attn.hyena into its recurrence, step by step: gate, direct causal
// convolution (O(L^2) per channel, reading the input left-padded with L - 1
// zeros so every tap is in bounds), skip term; then the final gate. All in
// f32.
//
//===----------------------------------------------------------------------===//

#include "mixir/Dialect/Attn/Decomposition/DecompositionUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mixir::attn;
using namespace mixir::attn::decompose;

/// The rank-reduced slice `source[index]` along the leading dim.
static Value leadingSlice(OpBuilder &b, Location loc, Value source,
                          int64_t index, ArrayRef<int64_t> sliceShape) {
  ArrayRef<int64_t> shape = shapeOf(source);
  SmallVector<OpFoldResult> offsets(shape.size(), b.getIndexAttr(0));
  offsets[0] = b.getIndexAttr(index);
  SmallVector<int64_t> sizes = {1};
  llvm::append_range(sizes, sliceShape);
  SmallVector<OpFoldResult> strides(shape.size(), b.getIndexAttr(1));
  auto resultType = RankedTensorType::get(
      sliceShape, cast<RankedTensorType>(source.getType()).getElementType());
  return tensor::ExtractSliceOp::create(
      b, loc, resultType, source, offsets,
      getAsIndexOpFoldResult(b.getContext(), sizes), strides);
}

namespace {

struct DecomposeHyena : OpRewritePattern<HyenaOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(HyenaOp op,
                                PatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(rewriter, op)))
      return failure();
    Location loc = op.getLoc();
    MLIRContext *ctx = op.getContext();
    ArrayRef<int64_t> shape = shapeOf(op.getInput());
    int64_t batch = shape[0], length = shape[1], channels = shape[2];
    int64_t order = shapeOf(op.getGates())[0];
    Type elementType =
        cast<RankedTensorType>(op.getInput().getType()).getElementType();

    using utils::IteratorType;
    const IteratorType par = IteratorType::parallel;
    AffineExpr d0, d1, d2, d3;
    bindDims(ctx, d0, d1, d2, d3);
    AffineMap identity3 = AffineMap::getMultiDimIdentityMap(3, ctx);
    SmallVector<int64_t> streamShape = {batch, length, channels};
    auto gate = [&](Value stream, int64_t gateIndex, Type resultType) {
      Value gates =
          leadingSlice(rewriter, loc, op.getGates(), gateIndex, streamShape);
      return buildGeneric(
          rewriter, loc, {stream, gates},
          emptyTensor(rewriter, loc, streamShape, resultType),
          {identity3, identity3, identity3}, {par, par, par},
          [&](OpBuilder &nb, Location nl, ValueRange a) -> Value {
            Value product = arith::MulFOp::create(nb, nl, toF32(nb, nl, a[0]),
                                                  toF32(nb, nl, a[1]));
            return fromF32(nb, nl, product, resultType);
          });
    };

    Value stream = op.getInput();
    for (int64_t step = 0; step + 1 < order; ++step) {
      // v = v * x^{N-1-step}
      Value gated = gate(stream, order - 1 - step, rewriter.getF32Type());
      // conv(h, v)[b,t,c] = sum_{s <= t} h[c,s] v[b,t-s,c]    loops (b,t,c,s)
      Value filter =
          sliceAlong(rewriter, loc,
                     leadingSlice(rewriter, loc, op.getFilters(), step,
                                  {channels, shapeOf(op.getFilters())[2]}),
                     1, 0, length);
      Value padded = gated;
      if (length > 1)
        padded = concatenate(
            rewriter, loc,
            {filledTensor(rewriter, loc, {batch, length - 1, channels}, 0),
             gated},
            1);
      Value convolution = buildGeneric(
          rewriter, loc, {filter, padded},
          filledTensor(rewriter, loc, streamShape, 0),
          {AffineMap::get(4, 0, {d2, d3}, ctx),
           AffineMap::get(4, 0, {d0, d1 - d3 + (length - 1), d2}, ctx),
           AffineMap::get(4, 0, {d0, d1, d2}, ctx)},
          {par, par, par, IteratorType::reduction},
          [](OpBuilder &nb, Location nl, ValueRange a) -> Value {
            Value product =
                arith::MulFOp::create(nb, nl, toF32(nb, nl, a[0]), a[1]);
            return arith::AddFOp::create(nb, nl, a[2], product);
          });
      // v = conv + skip * v
      Value skip = leadingSlice(rewriter, loc, op.getSkip(), step, {channels});
      stream = buildGeneric(
          rewriter, loc, {convolution, skip, gated},
          emptyTensor(rewriter, loc, streamShape, rewriter.getF32Type()),
          {identity3, AffineMap::get(3, 0, {d2}, ctx), identity3, identity3},
          {par, par, par},
          [](OpBuilder &nb, Location nl, ValueRange a) -> Value {
            return arith::AddFOp::create(
                nb, nl, a[0],
                arith::MulFOp::create(nb, nl, toF32(nb, nl, a[1]), a[2]));
          });
    }
    // y = v * x^0
    rewriter.replaceOp(op, gate(stream, 0, elementType));
    return success();
  }
};

} // namespace

void decompose::populateHyenaDecompositionPatterns(
    RewritePatternSet &patterns) {
  patterns.add<DecomposeHyena>(patterns.getContext());
}
