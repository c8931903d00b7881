//===- DecomposeAttention.cpp - reference lowering of attention -----------===//
//
// Rewrites attn.attention and attn.block_sparse_attention into the masked
// attention chain of DecompositionUtils: the spec's `allowed(b, i, j)`
// (causal alignment, window, kv_len, q_len) and, for block-sparse attention,
// the layout bit become the mask predicate.
//
//===----------------------------------------------------------------------===//

#include "DecompositionUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

#include <cmath>

using namespace mlir;
using namespace mixir::attn;
using namespace mixir::attn::decompose;

namespace {

/// Everything the spec's allowed(b, h, i, j) depends on, for one op.
struct AttentionMaskParams {
  CausalMode causal = CausalMode::none;
  int64_t windowLeft = -1, windowRight = -1;
  int64_t queryLen = 0, keyLen = 0;
  bool hasKvLen = false, hasQLen = false, hasLayout = false;
};

} // namespace

/// Builds allowed(b, h, i, j) of the spec from the loop indices and the
/// elements of the optional kv_len, q_len and layout operands (in that order,
/// those present).
static Value buildAllowed(OpBuilder &b, Location loc,
                          const AttentionMaskParams &params, ValueRange indices,
                          ValueRange args) {
  Value i = indexToI64(b, loc, indices[2]);
  Value j = indexToI64(b, loc, indices[3]);
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
  auto cmp = [&](arith::CmpIPredicate predicate, Value lhs, Value rhs) {
    return arith::CmpIOp::create(b, loc, predicate, lhs, rhs).getResult();
  };
  auto both = [&](Value lhs, Value rhs) {
    return arith::AndIOp::create(b, loc, lhs, rhs).getResult();
  };
  Value allowed = both(cmp(arith::CmpIPredicate::slt, j, validKeys),
                       cmp(arith::CmpIPredicate::slt, i, validQueries));
  // The diagonal of query i is key i + off(b).
  Value diagonal = i;
  if (params.causal == CausalMode::bottom_right)
    diagonal = arith::AddIOp::create(
        b, loc, i, arith::SubIOp::create(b, loc, validKeys, validQueries));
  if (params.causal != CausalMode::none)
    allowed = both(allowed, cmp(arith::CmpIPredicate::sle, j, diagonal));
  if (params.windowLeft >= 0)
    allowed = both(allowed, cmp(arith::CmpIPredicate::sge, j,
                                arith::SubIOp::create(
                                    b, loc, diagonal,
                                    i64Constant(b, loc, params.windowLeft))));
  if (params.windowRight >= 0)
    allowed = both(allowed, cmp(arith::CmpIPredicate::sle, j,
                                arith::AddIOp::create(
                                    b, loc, diagonal,
                                    i64Constant(b, loc, params.windowRight))));
  if (params.hasLayout)
    allowed = both(allowed, args[next++]);
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

  AttentionMaskParams params;
  params.causal = op.getCausal();
  if (std::optional<ArrayRef<int64_t>> window = op.getWindow()) {
    params.windowLeft = (*window)[0];
    params.windowRight = (*window)[1];
  }
  params.queryLen = qShape[2];
  params.keyLen = kShape[2];

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
    params.hasKvLen = true;
    problem.mask.inputs.push_back(kvLen);
    problem.mask.maps.push_back(batchMap);
  }
  if (Value qLen = op.getQLen()) {
    params.hasQLen = true;
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
  bool unmasked = params.causal == CausalMode::none && params.windowLeft < 0 &&
                  params.windowRight < 0 && !params.hasKvLen &&
                  !params.hasQLen && !params.hasLayout;
  if (!unmasked)
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
