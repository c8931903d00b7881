//===- DecompositionUtils.cpp - builders for the reference lowering -------===//
//
// The builders behind the decomposition patterns, above all the masked
// attention chain (scores, mask, softmax or sigmoid, P . V) that is the one
// engine of the reference lowering for every attention-like op.
//
//===----------------------------------------------------------------------===//

#include "mixir/Dialect/Attn/Decomposition/DecompositionUtils.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace mixir::attn;
using namespace mixir::attn::decompose;

LogicalResult decompose::requireStaticShapes(PatternRewriter &rewriter,
                                             Operation *op) {
  auto isStatic = [](Type type) {
    auto shaped = dyn_cast<ShapedType>(type);
    return !shaped || shaped.hasStaticShape();
  };
  if (llvm::all_of(op->getOperandTypes(), isStatic) &&
      llvm::all_of(op->getResultTypes(), isStatic))
    return success();
  return rewriter.notifyMatchFailure(
      op, "dynamic shapes are not supported by the reference decomposition");
}

Value decompose::emptyTensor(OpBuilder &b, Location loc,
                             ArrayRef<int64_t> shape, Type elementType) {
  return tensor::EmptyOp::create(b, loc, shape, elementType);
}

Value decompose::filledTensor(OpBuilder &b, Location loc,
                              ArrayRef<int64_t> shape, double value) {
  return filledTensorOf(b, loc, shape, b.getF32FloatAttr(value));
}

Value decompose::filledTensorOf(OpBuilder &b, Location loc,
                                ArrayRef<int64_t> shape, TypedAttr value) {
  Value empty = emptyTensor(b, loc, shape, value.getType());
  Value constant = arith::ConstantOp::create(b, loc, value);
  return linalg::FillOp::create(b, loc, constant, empty).getResult(0);
}

ArrayRef<int64_t> decompose::shapeOf(Value value) {
  return cast<RankedTensorType>(value.getType()).getShape();
}

Value decompose::sliceOf(OpBuilder &b, Location loc, Value x,
                         ArrayRef<OpFoldResult> offsets,
                         ArrayRef<int64_t> sizes,
                         ArrayRef<int64_t> resultShape) {
  auto type = cast<RankedTensorType>(x.getType());
  SmallVector<OpFoldResult> strides(sizes.size(), b.getIndexAttr(1));
  return tensor::ExtractSliceOp::create(
      b, loc, RankedTensorType::get(resultShape, type.getElementType()), x,
      offsets, getAsIndexOpFoldResult(b.getContext(), sizes), strides);
}

Value decompose::normalizedOutput(OpBuilder &b, Location loc, Value acc,
                                  Value rowSum) {
  Value zero = f32Constant(b, loc, 0.0);
  Value isEmpty =
      arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, rowSum, zero);
  Value quotient = arith::DivFOp::create(b, loc, acc, rowSum);
  return arith::SelectOp::create(b, loc, isEmpty, zero, quotient);
}

Value decompose::logSumExp(OpBuilder &b, Location loc, Value rowMax,
                           Value rowSum) {
  Value isEmpty = arith::CmpFOp::create(
      b, loc, arith::CmpFPredicate::OEQ, rowMax,
      f32Constant(b, loc, -std::numeric_limits<double>::infinity()));
  Value safeMax = arith::SelectOp::create(b, loc, isEmpty,
                                          f32Constant(b, loc, 0.0), rowMax);
  return arith::AddFOp::create(b, loc, safeMax,
                               math::LogOp::create(b, loc, rowSum));
}

Value decompose::f32Constant(OpBuilder &b, Location loc, double value) {
  return arith::ConstantOp::create(b, loc, b.getF32FloatAttr(value));
}

Value decompose::i64Constant(OpBuilder &b, Location loc, int64_t value) {
  return arith::ConstantOp::create(b, loc, b.getI64IntegerAttr(value));
}

Value decompose::toF32(OpBuilder &b, Location loc, Value value) {
  if (value.getType().isF32())
    return value;
  return arith::ExtFOp::create(b, loc, b.getF32Type(), value);
}

Value decompose::fromF32(OpBuilder &b, Location loc, Value value, Type type) {
  if (type.isF32())
    return value;
  return arith::TruncFOp::create(b, loc, type, value);
}

Value decompose::indexToI64(OpBuilder &b, Location loc, Value index) {
  return arith::IndexCastOp::create(b, loc, b.getI64Type(), index);
}

Value decompose::loopIndex(OpBuilder &b, Location loc, unsigned dim) {
  return indexToI64(b, loc, linalg::IndexOp::create(b, loc, dim));
}

Value decompose::buildGeneric(OpBuilder &b, Location loc, ValueRange inputs,
                              Value init, ArrayRef<AffineMap> maps,
                              ArrayRef<utils::IteratorType> iterators,
                              const BodyBuilder &body) {
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{init.getType()}, inputs, ValueRange{init}, maps,
      iterators, [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        Value result = body(nested, nestedLoc, args);
        linalg::YieldOp::create(nested, nestedLoc, result);
      });
  return generic.getResult(0);
}

/// Identity map over `rank` loops for elementwise generics.
static SmallVector<utils::IteratorType> parallelLoops(unsigned count) {
  return SmallVector<utils::IteratorType>(count, utils::IteratorType::parallel);
}

Value decompose::tensorToF32(OpBuilder &b, Location loc, Value tensor) {
  auto type = cast<RankedTensorType>(tensor.getType());
  if (type.getElementType().isF32())
    return tensor;
  AffineMap identity = b.getMultiDimIdentityMap(type.getRank());
  return buildGeneric(b, loc, tensor,
                      emptyTensor(b, loc, type.getShape(), b.getF32Type()),
                      {identity, identity}, parallelLoops(type.getRank()),
                      [](OpBuilder &nb, Location nl, ValueRange args) {
                        return toF32(nb, nl, args[0]);
                      });
}

Value decompose::tensorFromF32(OpBuilder &b, Location loc, Value tensor,
                               Type elementType) {
  auto type = cast<RankedTensorType>(tensor.getType());
  if (elementType.isF32())
    return tensor;
  AffineMap identity = b.getMultiDimIdentityMap(type.getRank());
  return buildGeneric(b, loc, tensor,
                      emptyTensor(b, loc, type.getShape(), elementType),
                      {identity, identity}, parallelLoops(type.getRank()),
                      [&](OpBuilder &nb, Location nl, ValueRange args) {
                        return fromF32(nb, nl, args[0], elementType);
                      });
}

Value decompose::concatenate(OpBuilder &b, Location loc, ValueRange tensors,
                             unsigned dim) {
  auto firstType = cast<RankedTensorType>(tensors.front().getType());
  SmallVector<int64_t> shape(firstType.getShape());
  shape[dim] = 0;
  for (Value tensor : tensors)
    shape[dim] += shapeOf(tensor)[dim];
  Value result = emptyTensor(b, loc, shape, firstType.getElementType());
  int64_t offset = 0;
  for (Value tensor : tensors) {
    ArrayRef<int64_t> partShape = shapeOf(tensor);
    SmallVector<OpFoldResult> offsets(shape.size(), b.getIndexAttr(0));
    offsets[dim] = b.getIndexAttr(offset);
    SmallVector<OpFoldResult> sizes =
        getAsIndexOpFoldResult(b.getContext(), SmallVector<int64_t>(partShape));
    SmallVector<OpFoldResult> strides(shape.size(), b.getIndexAttr(1));
    result = tensor::InsertSliceOp::create(b, loc, tensor, result, offsets,
                                           sizes, strides);
    offset += partShape[dim];
  }
  return result;
}

Value decompose::sliceAlong(OpBuilder &b, Location loc, Value tensor,
                            unsigned dim, int64_t offset, int64_t size) {
  SmallVector<int64_t> shape(shapeOf(tensor));
  SmallVector<OpFoldResult> offsets(shape.size(), b.getIndexAttr(0));
  offsets[dim] = b.getIndexAttr(offset);
  shape[dim] = size;
  SmallVector<OpFoldResult> sizes =
      getAsIndexOpFoldResult(b.getContext(), shape);
  SmallVector<OpFoldResult> strides(shape.size(), b.getIndexAttr(1));
  return tensor::ExtractSliceOp::create(b, loc, tensor, offsets, sizes,
                                        strides);
}

Value decompose::i64Table(OpBuilder &b, Location loc,
                          ArrayRef<int64_t> values) {
  auto type = RankedTensorType::get({static_cast<int64_t>(values.size())},
                                    b.getI64Type());
  return arith::ConstantOp::create(b, loc,
                                   DenseIntElementsAttr::get(type, values));
}

KeyInterval decompose::buildSpecMaskInterval(OpBuilder &b, Location loc,
                                             const AttentionMaskParams &params,
                                             Value i, Value validKeys,
                                             Value validQueries) {
  // The diagonal of query i is key i + off(b).
  Value diagonal = i;
  if (params.causal == CausalMode::bottom_right)
    diagonal = arith::AddIOp::create(
        b, loc, i, arith::SubIOp::create(b, loc, validKeys, validQueries));
  auto afterDiagonal = [&](int64_t keys) -> Value {
    return arith::AddIOp::create(b, loc, diagonal,
                                 i64Constant(b, loc, keys + 1));
  };
  Value first;
  if (params.windowLeft >= 0)
    first = arith::SubIOp::create(b, loc, diagonal,
                                  i64Constant(b, loc, params.windowLeft));
  Value end = validKeys;
  if (params.causal != CausalMode::none)
    end = arith::MinSIOp::create(b, loc, end, afterDiagonal(0));
  if (params.windowRight >= 0)
    end =
        arith::MinSIOp::create(b, loc, end, afterDiagonal(params.windowRight));
  // Rows past Sb see no key.
  Value validRow =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, i, validQueries);
  end = arith::SelectOp::create(b, loc, validRow, end,
                                first ? first : i64Constant(b, loc, 0));
  return {first, end};
}

Value decompose::buildSpecMask(OpBuilder &b, Location loc,
                               const AttentionMaskParams &params, Value i,
                               Value j, Value validKeys, Value validQueries) {
  KeyInterval keys =
      buildSpecMaskInterval(b, loc, params, i, validKeys, validQueries);
  Value allowed =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, j, keys.end);
  if (!keys.first)
    return allowed;
  return arith::AndIOp::create(
      b, loc,
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, j, keys.first),
      allowed);
}

Value decompose::inKeyIntervals(OpBuilder &b, Location loc,
                                const KeyIntervals &intervals, Value j) {
  Value inside;
  for (auto [first, end] : intervals) {
    Value here = arith::AndIOp::create(
        b, loc,
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, j, first),
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, j, end));
    inside = inside ? arith::OrIOp::create(b, loc, inside, here).getResult()
                    : here;
  }
  return inside;
}

KeyIntervals decompose::fixedCombinerKeyIntervals(OpBuilder &b, Location loc,
                                                  int64_t block, int64_t length,
                                                  int64_t abstractionStart,
                                                  bool causal, Value i) {
  Value blockSize = i64Constant(b, loc, block);
  Value one = i64Constant(b, loc, 1);
  Value segment = arith::DivSIOp::create(b, loc, i, blockSize);
  Value start = arith::MulIOp::create(b, loc, segment, blockSize);
  Value directEnd =
      causal ? arith::AddIOp::create(b, loc, i, one).getResult()
             : arith::AddIOp::create(b, loc, start, blockSize).getResult();
  Value abstractions = i64Constant(b, loc, abstractionStart);
  Value own = arith::AddIOp::create(b, loc, abstractions, segment);
  KeyIntervals intervals = {{start, directEnd}, {abstractions, own}};
  if (!causal)
    intervals.push_back(
        {arith::AddIOp::create(b, loc, own, one),
         i64Constant(b, loc, abstractionStart + length / block)});
  return intervals;
}

Value decompose::buildFixedCombinerMask(OpBuilder &b, Location loc,
                                        int64_t block, int64_t length,
                                        int64_t abstractionStart, bool causal,
                                        Value i, Value j) {
  return inKeyIntervals(b, loc,
                        fixedCombinerKeyIntervals(b, loc, block, length,
                                                  abstractionStart, causal, i),
                        j);
}

double decompose::scaleOrDefault(FloatAttr scale, int64_t headDim) {
  if (scale)
    return scale.getValueAsDouble();
  return 1.0 / std::sqrt(static_cast<double>(headDim));
}

//===----------------------------------------------------------------------===//
// The masked attention chain
//===----------------------------------------------------------------------===//

MaskedAttentionResult
decompose::buildMaskedAttention(OpBuilder &b, Location loc,
                                const MaskedAttention &problem) {
  MLIRContext *ctx = b.getContext();
  ArrayRef<int64_t> qShape = shapeOf(problem.query);
  ArrayRef<int64_t> kShape = shapeOf(problem.key);
  ArrayRef<int64_t> vShape = shapeOf(problem.value);
  int64_t batch = qShape[0], queryHeads = qShape[1], queryLen = qShape[2];
  int64_t keyLen = kShape[2], valueDim = vShape[3];
  int64_t group = queryHeads / kShape[1];
  const double negInf = -std::numeric_limits<double>::infinity();

  using utils::IteratorType;
  const IteratorType par = IteratorType::parallel;
  const IteratorType red = IteratorType::reduction;
  AffineExpr d0, d1, d2, d3, d4;
  bindDims(ctx, d0, d1, d2, d3, d4);
  // Query head h reads key/value head h / (Hq / Hkv).
  AffineExpr kvHead = group == 1 ? d1 : d1.floorDiv(group);

  // z[b,h,i,j] = sum_d q[b,h,i,d] * k[b,kvh(h),j,d]       loops (b,h,i,j,d)
  SmallVector<int64_t> scoreShape = {batch, queryHeads, queryLen, keyLen};
  Value scores =
      buildGeneric(b, loc, {problem.query, problem.key},
                   filledTensor(b, loc, scoreShape, 0.0),
                   {AffineMap::get(5, 0, {d0, d1, d2, d4}, ctx),
                    AffineMap::get(5, 0, {d0, kvHead, d3, d4}, ctx),
                    AffineMap::get(5, 0, {d0, d1, d2, d3}, ctx)},
                   {par, par, par, par, red},
                   [](OpBuilder &nb, Location nl, ValueRange a) -> Value {
                     Value product = arith::MulFOp::create(
                         nb, nl, toF32(nb, nl, a[0]), toF32(nb, nl, a[1]));
                     return arith::AddFOp::create(nb, nl, a[2], product);
                   });

  // x = scale * z + bias, then the mask: -inf (softmax) or the sigmoid
  // probability, 0 where masked.                               loops (b,h,i,j)
  AffineMap identity4 = AffineMap::getMultiDimIdentityMap(4, ctx);
  SmallVector<Value> inputs = {scores};
  SmallVector<AffineMap> maps = {identity4};
  if (problem.bias) {
    ArrayRef<int64_t> biasShape = shapeOf(problem.bias);
    SmallVector<AffineExpr> results;
    for (unsigned dim = 0; dim < 4; ++dim)
      results.push_back(biasShape[dim] == 1 && scoreShape[dim] != 1
                            ? getAffineConstantExpr(0, ctx)
                            : getAffineDimExpr(dim, ctx));
    inputs.push_back(problem.bias);
    maps.push_back(AffineMap::get(4, 0, results, ctx));
  }
  unsigned maskArgsBegin = inputs.size();
  llvm::append_range(inputs, problem.mask.inputs);
  llvm::append_range(maps, problem.mask.maps);
  maps.push_back(identity4);
  bool softmax = problem.score == ScoreKind::softmax;
  Value probabilities = buildGeneric(
      b, loc, inputs, emptyTensor(b, loc, scoreShape, b.getF32Type()), maps,
      {par, par, par, par},
      [&](OpBuilder &nb, Location nl, ValueRange a) -> Value {
        Value x = arith::MulFOp::create(nb, nl, a[0],
                                        f32Constant(nb, nl, problem.scale));
        if (problem.bias)
          x = arith::AddFOp::create(nb, nl, x, toF32(nb, nl, a[1]));
        Value masked;
        if (softmax) {
          masked = f32Constant(nb, nl, negInf);
        } else {
          x = sigmoidScore(nb, nl, x, problem.sigmoidBias);
          masked = f32Constant(nb, nl, 0.0);
        }
        if (!problem.mask.allowed)
          return x;
        SmallVector<Value> indices;
        for (unsigned dim = 0; dim < 4; ++dim)
          indices.push_back(linalg::IndexOp::create(nb, nl, dim));
        ValueRange maskArgs =
            a.slice(maskArgsBegin, problem.mask.inputs.size());
        Value allowed = problem.mask.allowed(nb, nl, indices, maskArgs);
        return arith::SelectOp::create(nb, nl, allowed, x, masked);
      });

  AffineMap rowMap = AffineMap::get(4, 0, {d0, d1, d2}, ctx);
  SmallVector<int64_t> rowShape = {batch, queryHeads, queryLen};
  Value rowMax, rowSum;
  if (softmax) {
    // m = max_j x                                     loops (b,h,i,j)
    rowMax = buildGeneric(
        b, loc, probabilities, filledTensor(b, loc, rowShape, negInf),
        {identity4, rowMap}, {par, par, par, red},
        [](OpBuilder &nb, Location nl, ValueRange a) -> Value {
          return arith::MaximumFOp::create(nb, nl, a[0], a[1]);
        });
    // p = exp(x - m'), m' = 0 where m = -inf (a fully masked row).
    probabilities = buildGeneric(
        b, loc, {probabilities, rowMax},
        emptyTensor(b, loc, scoreShape, b.getF32Type()),
        {identity4, rowMap, identity4}, {par, par, par, par},
        [&](OpBuilder &nb, Location nl, ValueRange a) -> Value {
          Value isEmpty =
              arith::CmpFOp::create(nb, nl, arith::CmpFPredicate::OEQ, a[1],
                                    f32Constant(nb, nl, negInf));
          Value safeMax = arith::SelectOp::create(
              nb, nl, isEmpty, f32Constant(nb, nl, 0.0), a[1]);
          return math::ExpOp::create(
              nb, nl, arith::SubFOp::create(nb, nl, a[0], safeMax));
        });
    // l = sum_j p
    rowSum =
        buildGeneric(b, loc, probabilities, filledTensor(b, loc, rowShape, 0.0),
                     {identity4, rowMap}, {par, par, par, red},
                     [](OpBuilder &nb, Location nl, ValueRange a) -> Value {
                       return arith::AddFOp::create(nb, nl, a[0], a[1]);
                     });
  }

  // acc[b,h,i,e] = sum_j p[b,h,i,j] * v[b,kvh(h),j,e]   loops (b,h,i,e,j)
  SmallVector<int64_t> outShape = {batch, queryHeads, queryLen, valueDim};
  Value accumulator =
      buildGeneric(b, loc, {probabilities, problem.value},
                   filledTensor(b, loc, outShape, 0.0),
                   {AffineMap::get(5, 0, {d0, d1, d2, d4}, ctx),
                    AffineMap::get(5, 0, {d0, kvHead, d4, d3}, ctx),
                    AffineMap::get(5, 0, {d0, d1, d2, d3}, ctx)},
                   {par, par, par, par, red},
                   [](OpBuilder &nb, Location nl, ValueRange a) -> Value {
                     Value product = arith::MulFOp::create(nb, nl, a[0],
                                                           toF32(nb, nl, a[1]));
                     return arith::AddFOp::create(nb, nl, a[2], product);
                   });

  MaskedAttentionResult result;
  Type outType = problem.outElementType;
  if (!softmax) {
    result.out = tensorFromF32(b, loc, accumulator, outType);
    return result;
  }
  // o = acc / l, 0 where l = 0.                      loops (b,h,i,e)
  result.out = buildGeneric(
      b, loc, {accumulator, rowSum}, emptyTensor(b, loc, outShape, outType),
      {identity4, rowMap, identity4}, {par, par, par, par},
      [&](OpBuilder &nb, Location nl, ValueRange a) -> Value {
        return fromF32(nb, nl, normalizedOutput(nb, nl, a[0], a[1]), outType);
      });
  if (problem.withLse) {
    // lse = m' + log l  (-inf for a fully masked row, where l = 0)
    AffineMap identity3 = AffineMap::getMultiDimIdentityMap(3, ctx);
    result.lse = buildGeneric(
        b, loc, {rowMax, rowSum}, emptyTensor(b, loc, rowShape, b.getF32Type()),
        {identity3, identity3, identity3}, {par, par, par},
        [&](OpBuilder &nb, Location nl, ValueRange a) -> Value {
          return logSumExp(nb, nl, a[0], a[1]);
        });
  }
  return result;
}

int64_t decompose::divisorAtMost(int64_t size, int64_t cap) {
  for (int64_t d = std::min(size, cap); d > 1; --d)
    if (size % d == 0)
      return d;
  return 1;
}

Value decompose::naturalExp(OpBuilder &b, Location loc, Value x) {
  return math::ExpOp::create(b, loc, x);
}

Value decompose::sigmoidScore(OpBuilder &b, Location loc, Value x, double bias,
                              ExpBuilder exp) {
  Value shifted = arith::AddFOp::create(b, loc, x, f32Constant(b, loc, bias));
  // exp's argument is capped at 88 (exp(88) ~ 1.7e38, so 1 + e stays finite
  // and the score's 1e-38 is 0 within any tolerance); the cap keeps a NaN as
  // NaN (the comparison is false for it).
  Value negated = arith::NegFOp::create(b, loc, shifted);
  Value cap = f32Constant(b, loc, 88.0);
  Value above =
      arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, negated, cap);
  Value e = exp(b, loc, arith::SelectOp::create(b, loc, above, cap, negated));
  Value one = f32Constant(b, loc, 1.0);
  // No division per score: with a finite divisor (ninf holds) and arcp, the
  // target computes the reciprocal by its estimate and a Newton step where
  // it has one (x86: vrcpps/vrcp14ps, then two FMAs with contract; relative
  // error about 2^-22), and by a division elsewhere.
  auto flags = arith::FastMathFlags::arcp | arith::FastMathFlags::ninf |
               arith::FastMathFlags::contract;
  return arith::DivFOp::create(b, loc, one,
                               arith::AddFOp::create(b, loc, one, e), flags);
}

/// The tokens of one region, from either op's routing attributes.
template <typename OpTy> static int64_t regionTokens(OpTy op) {
  if (IntegerAttr regionSize = op.getRegionSizeAttr())
    return regionSize.getInt();
  ArrayRef<int64_t> grid = *op.getGrid(), regions = *op.getRegions();
  return (grid[0] / regions[0]) * (grid[1] / regions[1]);
}

int64_t decompose::tokensPerRegion(RoutedAttentionOp op) {
  return regionTokens(op);
}

int64_t decompose::tokensPerRegion(RoutingLayoutOp op) {
  return regionTokens(op);
}
