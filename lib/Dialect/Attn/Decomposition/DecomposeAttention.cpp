//===- DecomposeAttention.cpp - reference lowering of attention -----------===//
//
// Rewrites attn.attention and attn.block_sparse_attention into the masked
// attention chain of DecompositionUtils: the spec's `allowed(b, i, j)`
// (causal alignment, window, kv_len, q_len) and, for block-sparse attention,
// the layout bit become the mask predicate.
//
//===----------------------------------------------------------------------===//

#include "mixir/Dialect/Attn/Decomposition/DecompositionUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

#include <cmath>

using namespace mlir;
using namespace mixir::attn;
using namespace mixir::attn::decompose;

/// allowed(b, h, i, j) of the spec from the loop indices and the elements of
/// the optional kv_len, q_len and layout operands (in that order, those
/// present).
static Value buildAllowed(OpBuilder &b, Location loc,
                          const AttentionMaskParams &params, ValueRange indices,
                          ValueRange args) {
  unsigned next = 0;
  Value validKeys =
      params.hasKvLen
          ? arith::ExtSIOp::create(b, loc, b.getI64Type(), args[next++])
                .getResult()
          : i64Constant(b, loc, params.keyLen);
  Value validQueries =
      params.hasQLen
          ? arith::ExtSIOp::create(b, loc, b.getI64Type(), args[next++])
                .getResult()
          : i64Constant(b, loc, params.queryLen);
  Value i = indexToI64(b, loc, indices[2]);
  Value j = indexToI64(b, loc, indices[3]);
  Value allowed = buildSpecMask(b, loc, params, i, j, validKeys, validQueries);
  if (params.hasLayout)
    allowed = arith::AndIOp::create(b, loc, allowed, args[next++]);
  return allowed;
}

/// Decomposes either attention op; `layout` and `block` are set for
/// block-sparse attention only.
template <typename OpTy>
static LogicalResult decomposeAttentionLike(OpTy op, PatternRewriter &rewriter,
                                            Value layout,
                                            ArrayRef<int64_t> block) {
  if (failed(requireStaticShapes(rewriter, op)))
    return failure();
  Location loc = op.getLoc();
  MLIRContext *ctx = op.getContext();
  ArrayRef<int64_t> qShape = shapeOf(op.getQuery());
  ArrayRef<int64_t> kShape = shapeOf(op.getKey());

  AttentionMaskParams params = AttentionMaskParams::get(op);

  MaskedAttention problem;
  problem.query = op.getQuery();
  problem.key = op.getKey();
  problem.value = op.getValue();
  problem.bias = op.getBias();
  problem.scale = scaleOrDefault(op.getScaleAttr(), qShape[3]);
  problem.score = op.getScore();
  problem.sigmoidBias =
      op.getSigmoidBiasAttr()
          ? op.getSigmoidBiasAttr().getValueAsDouble()
          : -std::log(static_cast<double>(std::max<int64_t>(kShape[2], 1)));
  problem.outElementType =
      cast<RankedTensorType>(op.getQuery().getType()).getElementType();
  problem.withLse = op.hasLse();

  AffineExpr d0, d1, d2, d3;
  bindDims(ctx, d0, d1, d2, d3);
  AffineMap batchMap = AffineMap::get(4, 0, {d0}, ctx);
  if (Value kvLen = op.getKvLen()) {
    problem.mask.inputs.push_back(kvLen);
    problem.mask.maps.push_back(batchMap);
  }
  if (Value qLen = op.getQLen()) {
    problem.mask.inputs.push_back(qLen);
    problem.mask.maps.push_back(batchMap);
  }
  if (layout) {
    params.hasLayout = true;
    bool shared = shapeOf(layout)[0] == 1;
    problem.mask.inputs.push_back(layout);
    problem.mask.maps.push_back(
        AffineMap::get(4, 0,
                       {shared ? getAffineConstantExpr(0, ctx) : d1,
                        d2.floorDiv(block[0]), d3.floorDiv(block[1])},
                       ctx));
  }
  if (!params.isUnmasked())
    problem.mask.allowed = [params](OpBuilder &b, Location l,
                                    ValueRange indices, ValueRange args) {
      return buildAllowed(b, l, params, indices, args);
    };

  MaskedAttentionResult result = buildMaskedAttention(rewriter, loc, problem);
  SmallVector<Value> replacements = {result.out};
  if (problem.withLse)
    replacements.push_back(result.lse);
  rewriter.replaceOp(op, replacements);
  return success();
}

namespace {

struct DecomposeAttention : OpRewritePattern<AttentionOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(AttentionOp op,
                                PatternRewriter &rewriter) const override {
    return decomposeAttentionLike(op, rewriter, /*layout=*/Value(),
                                  /*block=*/{});
  }
};

struct DecomposeBlockSparseAttention
    : OpRewritePattern<BlockSparseAttentionOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(BlockSparseAttentionOp op,
                                PatternRewriter &rewriter) const override {
    return decomposeAttentionLike(op, rewriter, op.getLayout(), op.getBlock());
  }
};

} // namespace

void decompose::populateAttentionDecompositionPatterns(
    RewritePatternSet &patterns) {
  patterns.add<DecomposeAttention, DecomposeBlockSparseAttention>(
      patterns.getContext());
}
