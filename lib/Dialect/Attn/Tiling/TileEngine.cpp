//===- TileEngine.cpp - the flash-style tile engine of attn-tile ----------===//
//
// A parallel loop over (batch, query head, query tile) and, inside, a loop
// over the key tiles that the masks (or the caller's key ranges) leave,
// carrying the online-softmax state (acc, m, l). The S x T scores never
// exist; the extra memory is one tile of scores.
//
//===----------------------------------------------------------------------===//

#include "TileEngine.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/IRMapping.h"
#include "llvm/Support/ErrorHandling.h"

#include <limits>

using namespace mlir;
using namespace mixir::attn;
using namespace mixir::attn::decompose;
using namespace mixir::attn::tile;

static constexpr double kNegInf = -std::numeric_limits<double>::infinity();

Value tile::padTo(OpBuilder &b, Location loc, Value x,
                  ArrayRef<int64_t> shape) {
  auto type = cast<RankedTensorType>(x.getType());
  if (type.getShape() == shape)
    return x;
  SmallVector<OpFoldResult> low(shape.size(), b.getIndexAttr(0)), high;
  for (auto [size, padded] : llvm::zip_equal(type.getShape(), shape))
    high.push_back(b.getIndexAttr(padded - size));
  Value zero =
      arith::ConstantOp::create(b, loc, b.getZeroAttr(type.getElementType()));
  return tensor::PadOp::create(
      b, loc, RankedTensorType::get(shape, type.getElementType()), x, low, high,
      zero);
}

static Value indexConstant(OpBuilder &b, Location loc, int64_t value) {
  return arith::ConstantIndexOp::create(b, loc, value);
}

/// An f32 tensor of `like`'s shape (static, or partial border tiles when
/// the tiles are not padded) filled with `value`.
static Value filledLike(OpBuilder &b, Location loc, Value like, double value) {
  auto type = cast<RankedTensorType>(like.getType());
  if (type.hasStaticShape())
    return filledTensor(b, loc, type.getShape(), value);
  Value empty = tensor::EmptyOp::create(
      b, loc, tensor::getMixedSizes(b, loc, like), b.getF32Type());
  return linalg::FillOp::create(b, loc, f32Constant(b, loc, value), empty)
      .getResult(0);
}

/// A mask region on the query position i yielding p.keyIntervals(i).
static void buildMaskRegion(OpBuilder &b, Location loc, Region &region,
                            const TiledAttention &p) {
  OpBuilder::InsertionGuard guard(b);
  Block *body = b.createBlock(&region, {}, {b.getI64Type()}, {loc});
  SmallVector<Value> bounds;
  for (auto [first, end] : p.keyIntervals(b, loc, body->getArgument(0))) {
    bounds.push_back(first);
    bounds.push_back(end);
  }
  YieldOp::create(b, loc, bounds);
}

SmallVector<Value> tile::buildTiledAttention(RewriterBase &rewriter,
                                             Location loc,
                                             const TiledAttention &problem) {
  TiledAttention p = problem;
  OpBuilder &b = rewriter;
  int64_t br = p.queryTile, bc = p.keyTile;
  // Tiles in the configuration's element type (f32, the one its verifier
  // allows), never converted per element inside a tile's contraction, where
  // a mixed-type matmul does not vectorize to vector.contract. q is
  // converted here (attn-fuse then moves the conversion into the query tile
  // loop: once per query tile); k and v tiles are converted by the target's
  // tile lowering, once per key step, which costs a few percent of the
  // tile's matmuls but no whole f32 copies of K and V (8 MiB per call at
  // L = 4096, allocated and, with glibc's default trimming, page-faulted
  // again on every call). (Static shapes: the CPU's tiles are.)
  TileConfigAttr config =
      TileConfigAttr::lookup(rewriter.getInsertionBlock()->getParentOp());
  if (config && config.getTileElementType() &&
      cast<RankedTensorType>(p.query.getType()).hasStaticShape())
    p.query = tensorToF32(b, loc, p.query);
  int64_t paddedQueries = shapeOf(p.query)[2];
  assert((!p.partial || p.softmax) && "partials are softmax states");
  Type f32 = b.getF32Type();

  // The whole problem as one partial_attention from the empty state.
  SmallVector<Value> state = {filledTensor(
      b, loc, {p.batch, p.queryHeads, paddedQueries, p.valueDim}, 0)};
  if (p.softmax) {
    state.push_back(
        filledTensor(b, loc, {p.batch, p.queryHeads, paddedQueries}, kNegInf));
    state.push_back(
        filledTensor(b, loc, {p.batch, p.queryHeads, paddedQueries}, 0));
  }
  auto whole = PartialAttentionOp::create(
      b, loc, ValueRange(state).getTypes(), p.query, p.key, p.value, p.bias,
      p.kvLen, p.qLen, p.layout, ValueRange(), state,
      p.softmax ? ScoreKind::softmax : ScoreKind::sigmoid, p.mask.causal,
      p.mask.windowLeft < 0 && p.mask.windowRight < 0
          ? DenseI64ArrayAttr()
          : b.getDenseI64ArrayAttr({p.mask.windowLeft, p.mask.windowRight}),
      APFloat(static_cast<float>(p.scale)),
      p.softmax ? FloatAttr() : b.getF32FloatAttr(p.sigmoidBias),
      ArrayRef<int64_t>{p.queryLen, p.keyLen},
      p.layout ? b.getDenseI64ArrayAttr(
                     {p.layoutQueryBlock ? p.layoutQueryBlock : br,
                      p.layoutKeyBlock ? p.layoutKeyBlock : bc})
               : DenseI64ArrayAttr(),
      p.layoutPerBatch, p.keysTransposed);
  if (p.keyIntervals)
    buildMaskRegion(b, loc, whole.getMask(), p);

  // Parallel over (batch row, query head, query tile): upstream tiling.
  auto tileSizes = [&](ArrayRef<int64_t> sizes) {
    return getAsIndexOpFoldResult(b.getContext(), sizes);
  };
  scf::SCFTilingOptions parallelOptions;
  parallelOptions.setTileSizes(tileSizes({1, 1, br, 0}))
      .setLoopType(scf::SCFTilingOptions::LoopType::ForallOp);
  FailureOr<scf::SCFTilingResult> parallel = scf::tileUsingSCF(
      rewriter, cast<TilingInterface>(whole.getOperation()), parallelOptions);
  if (failed(parallel))
    llvm::report_fatal_error("attn-tile: the parallel dims of a tile did not "
                             "tile (a bug: the engine builds tileable tiles)");
  rewriter.replaceOp(whole, parallel->replacements);
  auto queryTile = cast<PartialAttentionOp>(parallel->tiledOps.back());
  SmallVector<LoopLikeOpInterface> loops = parallel->loops;

  // Every query tile starts from the empty state of its own, so the state
  // stays tile-local (in cache) and the whole-size state is only written,
  // never filled first: every element of it is some tile's final state.
  {
    auto forall = cast<scf::ForallOp>(loops.front().getOperation());
    rewriter.setInsertionPoint(queryTile);
    for (auto [index, output] : llvm::enumerate(queryTile.getOutputs())) {
      double empty = index == 1 ? kNegInf : 0.0;
      queryTile.getOutputsMutable()[index].assign(
          filledLike(b, loc, output, empty));
    }
    rewriter.setInsertionPoint(forall);
    for (unsigned index = 0; index < state.size(); ++index) {
      OpOperand &shared = forall.getOutputsMutable()[index];
      auto type = cast<RankedTensorType>(shared.get().getType());
      shared.set(emptyTensor(b, loc, type.getShape(), type.getElementType()));
    }
  }

  // The key ranges of this query tile: the caller's, or the spec's bounds.
  rewriter.setInsertionPoint(queryTile);
  TilePlacement at = TilePlacement::get(b, loc, queryTile);
  SmallVector<std::pair<Value, Value>> ranges;
  if (p.keyRanges) {
    Value tileIndex = arith::DivUIOp::create(b, loc, at.queryStart,
                                             indexConstant(b, loc, br));
    ranges = p.keyRanges(b, loc, tileIndex);
  } else {
    ranges.push_back(keyBounds(b, loc, maskParamsOf(queryTile), at, br));
  }
  SmallVector<std::pair<Value, Value>> bounds;
  for (auto [lo, hi] : ranges)
    bounds.push_back(keyTileLoopBounds(b, loc, lo, hi, bc));

  // One reduction loop per key range, chained through the state: a copy of
  // the query tile's op per range, each tiled over the keys by upstream
  // tiling (a serial loop carrying the state), then narrowed to its range.
  SmallVector<PartialAttentionOp> perRange = {queryTile};
  rewriter.setInsertionPointAfter(queryTile);
  for (size_t index = 1; index < ranges.size(); ++index) {
    IRMapping mapping;
    PartialAttentionOp previous = perRange.back();
    for (auto [output, result] :
         llvm::zip_equal(previous.getOutputs(), previous->getResults()))
      mapping.map(output, result);
    auto next = cast<PartialAttentionOp>(b.clone(*previous, mapping));
    for (auto [from, to] :
         llvm::zip_equal(previous->getResults(), next->getResults()))
      rewriter.replaceAllUsesExcept(from, to, next);
    perRange.push_back(next);
  }
  scf::SCFTilingOptions reductionOptions;
  reductionOptions.setTileSizes(tileSizes({0, 0, 0, bc}))
      .setLoopType(scf::SCFTilingOptions::LoopType::ForOp)
      .setReductionDims({3});
  for (auto [op, range] : llvm::zip_equal(perRange, bounds)) {
    FailureOr<scf::SCFTilingResult> reduction = scf::tileUsingSCF(
        rewriter, cast<TilingInterface>(op.getOperation()), reductionOptions);
    if (failed(reduction))
      llvm::report_fatal_error("attn-tile: the key dim of a tile did not tile "
                               "(a bug: the engine builds tileable tiles)");
    rewriter.replaceOp(op, reduction->replacements);
    auto keyLoop = cast<scf::ForOp>(reduction->loops.front().getOperation());
    keyLoop.setLowerBound(range.first);
    keyLoop.setUpperBound(range.second);
  }

  // o = acc / l (0 where l = 0) and lse = m + log l, fused into the
  // parallel loop by upstream consumer fusion. Each fusion replaces the loop
  // by one with the consumer's result appended, so results are tracked by
  // their position among the loop's results.
  SmallVector<Value> results;
  MLIRContext *ctx = b.getContext();
  AffineExpr d0, d1, d2, d3;
  bindDims(ctx, d0, d1, d2, d3);
  using utils::IteratorType;
  auto stateOf = [&](unsigned index) {
    return loops.front()->getResult(index);
  };
  if (p.partial) {
    for (unsigned index = 0; index < 3; ++index)
      results.push_back(stateOf(index));
  } else {
    SmallVector<int64_t> outShape = {p.batch, p.queryHeads, paddedQueries,
                                     p.valueDim};
    AffineMap full = AffineMap::get(4, 0, {d0, d1, d2, d3}, ctx);
    AffineMap row = AffineMap::get(4, 0, {d0, d1, d2}, ctx);
    AffineMap row3 = AffineMap::get(3, 0, {d0, d1, d2}, ctx);
    // Builds one consumer of the state after the loop and fuses it in; a
    // fused result is the loop result at `position`, one that did not fuse
    // stays the consumer's own value.
    SmallVector<std::optional<unsigned>> positions;
    auto fuseConsumer = [&](function_ref<Value()> build) {
      b.setInsertionPointAfter(loops.front());
      Value result = build();
      unsigned position = loops.front()->getNumResults();
      Operation *consumer = result.getDefiningOp();
      bool fused =
          consumer && isa<TilingInterface>(consumer) &&
          succeeded(scf::tileAndFuseConsumer(rewriter, consumer, loops));
      positions.push_back(fused ? std::optional<unsigned>(position)
                                : std::nullopt);
      results.push_back(fused ? Value() : result);
    };
    if (p.softmax) {
      fuseConsumer([&] {
        return buildGeneric(
            b, loc, {stateOf(0), stateOf(2)},
            emptyTensor(b, loc, outShape, p.elementType), {full, row, full},
            SmallVector<IteratorType>(4, IteratorType::parallel),
            [&](OpBuilder &nb, Location nl, ValueRange a) -> Value {
              return fromF32(nb, nl, normalizedOutput(nb, nl, a[0], a[1]),
                             p.elementType);
            });
      });
    } else {
      fuseConsumer(
          [&] { return tensorFromF32(b, loc, stateOf(0), p.elementType); });
    }
    if (p.withLse) {
      fuseConsumer([&] {
        return buildGeneric(
            b, loc, {stateOf(1), stateOf(2)},
            emptyTensor(b, loc, {p.batch, p.queryHeads, paddedQueries}, f32),
            {row3, row3, row3},
            SmallVector<IteratorType>(3, IteratorType::parallel),
            [](OpBuilder &nb, Location nl, ValueRange a) -> Value {
              return logSumExp(nb, nl, a[0], a[1]);
            });
      });
    }
    // Earlier fusions replaced the loop that earlier results came from.
    for (auto [result, position] : llvm::zip_equal(results, positions))
      if (position)
        result = loops.front()->getResult(*position);
  }

  // attn-fuse pulls the neighbours of this loop into it.
  loops.front()->setAttr(kFlashLoopAttrName, b.getUnitAttr());

  // Drop the padded rows.
  b.setInsertionPointAfter(loops.front());
  for (Value &result : results) {
    ArrayRef<int64_t> paddedShape = shapeOf(result);
    if (paddedShape[2] == p.queryLen)
      continue;
    SmallVector<int64_t> shape = llvm::to_vector(paddedShape);
    shape[2] = p.queryLen;
    SmallVector<OpFoldResult> offsets(shape.size(), b.getIndexAttr(0));
    result = sliceOf(b, loc, result, offsets, shape, shape);
  }
  return results;
}

Value tile::transposeLastTwo(OpBuilder &b, Location loc, Value x) {
  ArrayRef<int64_t> s = shapeOf(x);
  return linalg::TransposeOp::create(
             b, loc, x,
             emptyTensor(b, loc, {s[0], s[1], s[3], s[2]},
                         cast<RankedTensorType>(x.getType()).getElementType()),
             ArrayRef<int64_t>{0, 1, 3, 2})
      .getResult()[0];
}

int64_t tile::roundUp(int64_t value, int64_t multiple) {
  return (value + multiple - 1) / multiple * multiple;
}

void tile::setKeys(OpBuilder &b, Location loc, TiledAttention &p, Value key,
                   TileConfigAttr config) {
  p.keysTransposed = config.getKeyLayout() == KeyLayout::transposed;
  p.key = p.keysTransposed ? transposeLastTwo(b, loc, key) : key;
}
