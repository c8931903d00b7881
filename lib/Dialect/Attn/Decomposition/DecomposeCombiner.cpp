//===- DecomposeCombiner.cpp - reference lowering of Combiner -------------===//
//
// Rewrites attn.combiner. Each variant appends its abstractions to the keys
// and values (an extended key axis of length L + #abstractions) and runs ONE
// masked attention over it, the variant's structure being the mask:
// - fixed and logsparse abstract blocks of positions (segments, dyadic
//   blocks): kbar/qbar by max-pooling, vbar by a masked attention of qbar over
//   the block;
// - axial abstracts rows by attention-weighted sums (u, kt), computed by one
//   masked attention over [v | k].
//
//===----------------------------------------------------------------------===//

#include "mixir/Dialect/Attn/Decomposition/DecompositionUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

#include <limits>

using namespace mlir;
using namespace mixir::attn;
using namespace mixir::attn::decompose;

namespace {

/// Block abstractions of a sequence: block n covers [start[n], end[n]).
struct BlockTable {
  SmallVector<int64_t> start, end;
  /// Logsparse only: the level and the index of the block at that level.
  SmallVector<int64_t> level, index;
};

} // namespace

static BlockTable segmentBlocks(int64_t length, int64_t block) {
  BlockTable table;
  for (int64_t n = 0; n * block < length; ++n) {
    table.start.push_back(n * block);
    table.end.push_back((n + 1) * block);
  }
  return table;
}

/// The dyadic blocks logsparse can use: at level l, block p covers
/// [p 2^l, (p+1) 2^l) and is used by queries i with floor(i / 2^l) = p + 1
/// odd, so p is even and (p + 1) 2^l <= L - 1.
static BlockTable logsparseBlocks(int64_t length) {
  BlockTable table;
  for (int64_t level = 0; (int64_t(1) << level) < length; ++level) {
    int64_t size = int64_t(1) << level;
    for (int64_t p = 0; (p + 1) * size <= length - 1; p += 2) {
      table.start.push_back(p * size);
      table.end.push_back((p + 1) * size);
      table.level.push_back(level);
      table.index.push_back(p);
    }
  }
  return table;
}

/// x[b, h, n, d] = max over j in block n of source[b, h, j, d] (f32).
static Value maxPoolBlocks(OpBuilder &b, Location loc, Value source,
                           Value starts, Value ends, int64_t blocks) {
  MLIRContext *ctx = b.getContext();
  ArrayRef<int64_t> shape = shapeOf(source);
  AffineExpr d0, d1, d2, d3, d4;
  bindDims(ctx, d0, d1, d2, d3, d4);
  using utils::IteratorType;
  const IteratorType par = IteratorType::parallel;
  return buildGeneric(
      b, loc, {source, starts, ends},
      filledTensor(b, loc, {shape[0], shape[1], blocks, shape[3]},
                   -std::numeric_limits<double>::infinity()),
      {AffineMap::get(5, 0, {d0, d1, d4, d3}, ctx),
       AffineMap::get(5, 0, {d2}, ctx), AffineMap::get(5, 0, {d2}, ctx),
       AffineMap::get(5, 0, {d0, d1, d2, d3}, ctx)},
      {par, par, par, par, IteratorType::reduction},
      [](OpBuilder &nb, Location nl, ValueRange a) -> Value {
        Value j = loopIndex(nb, nl, 4);
        Value inside = arith::AndIOp::create(
            nb, nl,
            arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::sge, j, a[1]),
            arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::slt, j, a[2]));
        Value candidate = arith::SelectOp::create(
            nb, nl, inside, a[0],
            f32Constant(nb, nl, -std::numeric_limits<double>::infinity()));
        return arith::MaximumFOp::create(nb, nl, a[3], candidate);
      });
}

/// x[b, h, i, d] = scale * x (f32).
static Value scaleTensor(OpBuilder &b, Location loc, Value x, double scale) {
  AffineMap identity = b.getMultiDimIdentityMap(4);
  return buildGeneric(
      b, loc, x, emptyTensor(b, loc, shapeOf(x), b.getF32Type()),
      {identity, identity},
      SmallVector<utils::IteratorType>(4, utils::IteratorType::parallel),
      [&](OpBuilder &nb, Location nl, ValueRange a) -> Value {
        return arith::MulFOp::create(nb, nl, toF32(nb, nl, a[0]),
                                     f32Constant(nb, nl, scale));
      });
}

namespace {

struct DecomposeCombiner : OpRewritePattern<CombinerOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(CombinerOp op,
                                PatternRewriter &rewriter) const override {
    if (failed(requireStaticShapes(rewriter, op)))
      return failure();
    Location loc = op.getLoc();
    MLIRContext *ctx = op.getContext();
    ArrayRef<int64_t> shape = shapeOf(op.getQuery());
    int64_t length = shape[2], dim = shape[3];
    double scale = scaleOrDefault(op.getScaleAttr(), dim);
    bool causal = op.getCausal();
    Value key = tensorToF32(rewriter, loc, op.getKey());
    Value value = tensorToF32(rewriter, loc, op.getValue());

    AffineExpr d0, d1, d2, d3;
    bindDims(ctx, d0, d1, d2, d3);
    MaskedAttention problem;
    problem.query = op.getQuery();
    problem.scale = scale;
    problem.outElementType =
        cast<RankedTensorType>(op.getQuery().getType()).getElementType();

    CombinerVariant variant = op.getVariant();
    if (variant == CombinerVariant::axial) {
      int64_t block = *op.getBlock();
      // u and kt: attention of q' over its own row, values [v | k].
      MaskedAttention rows;
      rows.query = op.getQuery();
      rows.key = key;
      rows.value = concatenate(rewriter, loc, {value, key}, 3);
      rows.scale = scale;
      rows.outElementType = rewriter.getF32Type();
      rows.mask.allowed = [block](OpBuilder &nb, Location nl,
                                  ValueRange indices, ValueRange) {
        Value rowBlock = i64Constant(nb, nl, block);
        return arith::CmpIOp::create(
                   nb, nl, arith::CmpIPredicate::eq,
                   arith::DivSIOp::create(
                       nb, nl, indexToI64(nb, nl, indices[2]), rowBlock),
                   arith::DivSIOp::create(
                       nb, nl, indexToI64(nb, nl, indices[3]), rowBlock))
            .getResult();
      };
      Value summaries = buildMaskedAttention(rewriter, loc, rows).out;
      Value u = sliceAlong(rewriter, loc, summaries, 3, 0, dim);
      Value kt = sliceAlong(rewriter, loc, summaries, 3, dim, dim);
      problem.key = concatenate(rewriter, loc, {key, kt}, 2);
      problem.value = concatenate(rewriter, loc, {value, u}, 2);
      problem.mask.allowed = [block, length, causal](OpBuilder &nb, Location nl,
                                                     ValueRange indices,
                                                     ValueRange) {
        auto cmp = [&](arith::CmpIPredicate p, Value lhs, Value rhs) {
          return arith::CmpIOp::create(nb, nl, p, lhs, rhs).getResult();
        };
        Value rowBlock = i64Constant(nb, nl, block);
        Value i = indexToI64(nb, nl, indices[2]);
        Value j = indexToI64(nb, nl, indices[3]);
        Value isDirect =
            cmp(arith::CmpIPredicate::slt, j, i64Constant(nb, nl, length));
        Value jj = arith::SelectOp::create(
            nb, nl, isDirect, j,
            arith::SubIOp::create(nb, nl, j, i64Constant(nb, nl, length)));
        Value rowI = arith::DivSIOp::create(nb, nl, i, rowBlock);
        Value colI = arith::RemSIOp::create(nb, nl, i, rowBlock);
        Value rowJ = arith::DivSIOp::create(nb, nl, jj, rowBlock);
        Value colJ = arith::RemSIOp::create(nb, nl, jj, rowBlock);
        // Direct: the own row, up to the own column when causal.
        Value direct = cmp(arith::CmpIPredicate::eq, rowJ, rowI);
        if (causal)
          direct = arith::AndIOp::create(
              nb, nl, direct, cmp(arith::CmpIPredicate::sle, colJ, colI));
        // Abstraction of row r' (same column): earlier rows when causal,
        // every other row otherwise.
        Value abstraction = arith::AndIOp::create(
            nb, nl, cmp(arith::CmpIPredicate::eq, colJ, colI),
            cmp(causal ? arith::CmpIPredicate::slt : arith::CmpIPredicate::ne,
                rowJ, rowI));
        return arith::SelectOp::create(nb, nl, isDirect, direct, abstraction)
            .getResult();
      };
    } else {
      bool logsparse = variant == CombinerVariant::logsparse;
      BlockTable table = logsparse ? logsparseBlocks(length)
                                   : segmentBlocks(length, *op.getBlock());
      int64_t blocks = table.start.size();
      Value starts = i64Table(rewriter, loc, table.start);
      Value ends = i64Table(rewriter, loc, table.end);
      Value queryScaled = scaleTensor(rewriter, loc, op.getQuery(), scale);
      Value keyMax = maxPoolBlocks(rewriter, loc, key, starts, ends, blocks);
      Value queryMax =
          maxPoolBlocks(rewriter, loc, queryScaled, starts, ends, blocks);
      // vbar[n] = sum_{j in block n} softmax_j(qbar[n] . k_j) v_j
      MaskedAttention summary;
      summary.query = queryMax;
      summary.key = key;
      summary.value = value;
      summary.scale = 1.0;
      summary.outElementType = rewriter.getF32Type();
      summary.mask.inputs = {starts, ends};
      summary.mask.maps = {AffineMap::get(4, 0, {d2}, ctx),
                           AffineMap::get(4, 0, {d2}, ctx)};
      summary.mask.allowed = [](OpBuilder &nb, Location nl, ValueRange indices,
                                ValueRange args) {
        Value j = indexToI64(nb, nl, indices[3]);
        return arith::AndIOp::create(
                   nb, nl,
                   arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::sge, j,
                                         args[0]),
                   arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::slt, j,
                                         args[1]))
            .getResult();
      };
      Value valueSummary = buildMaskedAttention(rewriter, loc, summary).out;
      problem.key = concatenate(rewriter, loc, {key, keyMax}, 2);
      problem.value = concatenate(rewriter, loc, {value, valueSummary}, 2);

      if (logsparse) {
        // Tables over the extended key axis (entries below L are unused).
        SmallVector<int64_t> levels(length, 0), indices(length, 0);
        llvm::append_range(levels, table.level);
        llvm::append_range(indices, table.index);
        problem.mask.inputs = {i64Table(rewriter, loc, levels),
                               i64Table(rewriter, loc, indices)};
        problem.mask.maps = {AffineMap::get(4, 0, {d3}, ctx),
                             AffineMap::get(4, 0, {d3}, ctx)};
        problem.mask.allowed = [length](OpBuilder &nb, Location nl,
                                        ValueRange loopIndices,
                                        ValueRange args) {
          auto cmp = [&](arith::CmpIPredicate p, Value lhs, Value rhs) {
            return arith::CmpIOp::create(nb, nl, p, lhs, rhs).getResult();
          };
          Value i = indexToI64(nb, nl, loopIndices[2]);
          Value j = indexToI64(nb, nl, loopIndices[3]);
          Value isDirect =
              cmp(arith::CmpIPredicate::slt, j, i64Constant(nb, nl, length));
          // Block (l, p) serves i when bit l of i is set and
          // p = floor(i / 2^l) - 1.
          Value shifted = arith::ShRSIOp::create(nb, nl, i, args[0]);
          Value one = i64Constant(nb, nl, 1);
          Value bitSet = cmp(arith::CmpIPredicate::eq,
                             arith::AndIOp::create(nb, nl, shifted, one), one);
          Value sameBlock =
              cmp(arith::CmpIPredicate::eq,
                  arith::SubIOp::create(nb, nl, shifted, one), args[1]);
          Value abstraction = arith::AndIOp::create(nb, nl, bitSet, sameBlock);
          return arith::SelectOp::create(nb, nl, isDirect,
                                         cmp(arith::CmpIPredicate::eq, j, i),
                                         abstraction)
              .getResult();
        };
      } else {
        int64_t block = *op.getBlock();
        problem.mask.allowed = [block, length,
                                causal](OpBuilder &nb, Location nl,
                                        ValueRange indices, ValueRange) {
          Value i = indexToI64(nb, nl, indices[2]);
          Value j = indexToI64(nb, nl, indices[3]);
          return buildFixedCombinerMask(nb, nl, block, length, length, causal,
                                        i, j);
        };
      }
    }
    rewriter.replaceOp(op, buildMaskedAttention(rewriter, loc, problem).out);
    return success();
  }
};

} // namespace

void decompose::populateCombinerDecompositionPatterns(
    RewritePatternSet &patterns) {
  patterns.add<DecomposeCombiner>(patterns.getContext());
}
