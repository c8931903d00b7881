//===- TileCombiner.cpp - attn.combiner on the tile engine ----------------===//
//
// The three Combiner variants of attn-tile, each in two stages on the one
// tile engine (TileEngine.h), never O(L^2):
//  - fixed: segment abstractions, then the engine over [k; kbar], [v; vbar];
//  - axial: row summaries (u, kt) by the engine over each row, then per query
//    two partial softmax states, its row (direct keys) and its column (the
//    other rows' summaries, an attention over the transposed layout), merged
//    by the spec's split-KV rule;
//  - logsparse: the dyadic block abstractions of every level by max-pooling
//    and the engine, then per query one online-softmax update per level.
//
//===----------------------------------------------------------------------===//

#include "TileEngine.h"

#include "llvm/ADT/bit.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include "llvm/Support/MathExtras.h"

#include <limits>

using namespace mlir;
using namespace mixir::attn;
using namespace mixir::attn::decompose;
using namespace mixir::attn::tile;

static constexpr double kNegInf = -std::numeric_limits<double>::infinity();

using utils::IteratorType;

/// Elementwise max over blocks of `block` rows: [B, H, L, D] -> [B, H,
/// ceil(L/block), D], of factor * x, in `type` (f32, or x's own type: the
/// max of values is exact in it); a last partial block takes the max of the
/// rows it has.
static Value blockMax(OpBuilder &b, Location loc, Value x, int64_t block,
                      double factor, Type type) {
  MLIRContext *ctx = b.getContext();
  ArrayRef<int64_t> s = shapeOf(x);
  int64_t blocks = llvm::divideCeil(s[2], block);
  Value source = type.isF32() ? tensorToF32(b, loc, x) : x;
  assert(cast<ShapedType>(source.getType()).getElementType() == type &&
         "the max in f32 or in x's own type");
  auto negInf = [&](OpBuilder &nb, Location nl) -> Value {
    return arith::ConstantOp::create(nb, nl, nb.getFloatAttr(type, kNegInf));
  };
  if (blocks * block != s[2]) {
    SmallVector<OpFoldResult> low(4, b.getIndexAttr(0));
    SmallVector<OpFoldResult> high = {b.getIndexAttr(0), b.getIndexAttr(0),
                                      b.getIndexAttr(blocks * block - s[2]),
                                      b.getIndexAttr(0)};
    source = tensor::PadOp::create(
        b, loc, RankedTensorType::get({s[0], s[1], blocks * block, s[3]}, type),
        source, low, high, negInf(b, loc));
  }
  Value expanded = tensor::ExpandShapeOp::create(
      b, loc, RankedTensorType::get({s[0], s[1], blocks, block, s[3]}, type),
      source, SmallVector<ReassociationIndices>{{0}, {1}, {2, 3}, {4}});
  AffineExpr d0, d1, d2, d3, d4;
  bindDims(ctx, d0, d1, d2, d3, d4);
  return buildGeneric(
      b, loc, expanded,
      filledTensorOf(b, loc, {s[0], s[1], blocks, s[3]},
                     b.getFloatAttr(type, kNegInf)),
      {AffineMap::getMultiDimIdentityMap(5, ctx),
       AffineMap::get(5, 0, {d0, d1, d2, d4}, ctx)},
      {IteratorType::parallel, IteratorType::parallel, IteratorType::parallel,
       IteratorType::reduction, IteratorType::parallel},
      [factor, type](OpBuilder &nb, Location nl, ValueRange a) -> Value {
        Value element = a[0];
        if (factor != 1.0)
          element = arith::MulFOp::create(
              nb, nl, element,
              arith::ConstantOp::create(nb, nl, nb.getFloatAttr(type, factor)));
        return arith::MaximumFOp::create(nb, nl, element, a[1]);
      });
}

/// A softmax problem of the engine over [B, H, *, D] tensors with one head
/// of keys per query head and no spec mask; the caller sets the tensors,
/// tiles, ranges and masks.
static TiledAttention combinerProblem(int64_t batch, int64_t heads,
                                      int64_t queryLen, int64_t keyLen,
                                      int64_t headDim, int64_t valueDim,
                                      int64_t queryTile, int64_t keyTile,
                                      double scale, Type outType) {
  TiledAttention p;
  p.batch = batch;
  p.queryHeads = heads;
  p.queryLen = queryLen;
  p.headDim = headDim;
  p.keyLen = keyLen;
  p.valueDim = valueDim;
  p.group = 1;
  p.queryTile = queryTile;
  p.keyTile = keyTile;
  p.elementType = outType;
  p.scale = scale;
  p.sigmoidBias = 0;
  p.softmax = true;
  p.withLse = false;
  p.mask.queryLen = queryLen;
  p.mask.keyLen = keyLen;
  return p;
}

/// Key ranges [t * size, min((t + 1) * size, limit)) for query tile t.
static std::function<SmallVector<std::pair<Value, Value>>(OpBuilder &, Location,
                                                          Value)>
blockRange(int64_t size, int64_t limit) {
  return [size, limit](OpBuilder &b, Location l, Value tileIndex) {
    Value start = arith::MulIOp::create(b, l, indexToI64(b, l, tileIndex),
                                        i64Constant(b, l, size));
    Value end = arith::MinSIOp::create(
        b, l, arith::AddIOp::create(b, l, start, i64Constant(b, l, size)),
        i64Constant(b, l, limit));
    return SmallVector<std::pair<Value, Value>>{{start, end}};
  };
}

/// The first and last rows (i64) of query tile `tileIndex` (index), tiles
/// of `queryTile` rows over `length` rows.
static std::pair<Value, Value> tileRows(OpBuilder &b, Location l,
                                        Value tileIndex, int64_t queryTile,
                                        int64_t length) {
  Value first = arith::MulIOp::create(b, l, indexToI64(b, l, tileIndex),
                                      i64Constant(b, l, queryTile));
  Value last = arith::MinSIOp::create(
      b, l,
      arith::AddIOp::create(b, l, first, i64Constant(b, l, queryTile - 1)),
      i64Constant(b, l, length - 1));
  return {first, last};
}

/// The keys [start, end) of the blocks of `block` positions that rows
/// [first, last] of query tile `tileIndex` (tiles of `queryTile` rows over
/// `length`) lie in, up to the last row when `upToLastRow`, and the last
/// row's block (i64).
struct RowBlocks {
  Value start, end, lastBlock;
};
static RowBlocks rowBlocksOf(OpBuilder &b, Location l, Value tileIndex,
                             int64_t queryTile, int64_t block, int64_t length,
                             bool upToLastRow) {
  auto [first, last] = tileRows(b, l, tileIndex, queryTile, length);
  Value blockSize = i64Constant(b, l, block);
  Value start = arith::MulIOp::create(
      b, l, arith::DivSIOp::create(b, l, first, blockSize), blockSize);
  Value lastBlock = arith::DivSIOp::create(b, l, last, blockSize);
  Value end = arith::MinSIOp::create(
      b, l,
      arith::MulIOp::create(
          b, l, arith::AddIOp::create(b, l, lastBlock, i64Constant(b, l, 1)),
          blockSize),
      i64Constant(b, l, length));
  if (upToLastRow)
    end = arith::MinSIOp::create(
        b, l, end, arith::AddIOp::create(b, l, last, i64Constant(b, l, 1)));
  return {start, end, lastBlock};
}

/// The keys of query i's block of `block` positions (up to i when
/// `causal`): one interval.
static KeyIntervals blockKeys(OpBuilder &b, Location l, int64_t block,
                              bool causal, Value i) {
  Value blockSize = i64Constant(b, l, block);
  Value start = arith::MulIOp::create(
      b, l, arith::DivSIOp::create(b, l, i, blockSize), blockSize);
  Value end =
      causal ? arith::AddIOp::create(b, l, i, i64Constant(b, l, 1)).getResult()
             : arith::AddIOp::create(b, l, start, blockSize).getResult();
  return {{start, end}};
}

/// The axial Combiner's abstractions of row i over its column's rows
/// ([0, rows)): the earlier rows (causal) or every other row.
static KeyIntervals otherRows(OpBuilder &b, Location l, int64_t rows,
                              bool causal, Value i) {
  KeyIntervals intervals = {{i64Constant(b, l, 0), i}};
  if (!causal)
    intervals.push_back({arith::AddIOp::create(b, l, i, i64Constant(b, l, 1)),
                         i64Constant(b, l, rows)});
  return intervals;
}

/// The axial layout's columns: x [B, H, L (= rows b), D] as [B, H b, rows,
/// D], query (r, c) of head h being query r of head h b + c.
static Value toColumns(OpBuilder &b, Location loc, Value x, int64_t width) {
  auto type = cast<RankedTensorType>(x.getType());
  ArrayRef<int64_t> s = type.getShape();
  Type element = type.getElementType();
  int64_t rows = s[2] / width;
  Value expanded = tensor::ExpandShapeOp::create(
      b, loc, RankedTensorType::get({s[0], s[1], rows, width, s[3]}, element),
      x, SmallVector<ReassociationIndices>{{0}, {1}, {2, 3}, {4}});
  Value swapped =
      linalg::TransposeOp::create(
          b, loc, expanded,
          emptyTensor(b, loc, {s[0], s[1], width, rows, s[3]}, element),
          ArrayRef<int64_t>{0, 1, 3, 2, 4})
          .getResult()[0];
  return tensor::CollapseShapeOp::create(
      b, loc, swapped,
      SmallVector<ReassociationIndices>{{0}, {1, 2}, {3}, {4}});
}

/// The inverse of toColumns for [B, H b, rows (, D)] (rank 3 or 4).
static Value fromColumns(OpBuilder &b, Location loc, Value x, int64_t heads,
                         int64_t width) {
  auto type = cast<RankedTensorType>(x.getType());
  ArrayRef<int64_t> s = type.getShape();
  Type element = type.getElementType();
  bool rows4 = type.getRank() == 4;
  int64_t batch = s[0], rows = s[2];
  SmallVector<int64_t> expandedShape = {batch, heads, width, rows};
  SmallVector<int64_t> swappedShape = {batch, heads, rows, width};
  SmallVector<int64_t> permutation = {0, 1, 3, 2};
  SmallVector<ReassociationIndices> split = {{0}, {1, 2}, {3}};
  SmallVector<ReassociationIndices> merge = {{0}, {1}, {2, 3}};
  if (rows4) {
    expandedShape.push_back(s[3]);
    swappedShape.push_back(s[3]);
    permutation.push_back(4);
    split.push_back({4});
    merge.push_back({4});
  }
  Value expanded = tensor::ExpandShapeOp::create(
      b, loc, RankedTensorType::get(expandedShape, element), x, split);
  Value swapped = linalg::TransposeOp::create(
                      b, loc, expanded,
                      emptyTensor(b, loc, swappedShape, element), permutation)
                      .getResult()[0];
  return tensor::CollapseShapeOp::create(b, loc, swapped, merge);
}

/// The axial Combiner on a configuration that does not pad to tiles (the
/// GPU's), whose tile lowering writes normalised outputs and lse rather
/// than partial states: the same stages with the configuration's tiles in
/// the inputs' type, each partial as (o, lse), merged by the spec's split-KV
/// rule o = (w1 o1 + w2 o2) / (w1 + w2), w_k = exp(lse_k - max lse).
/// Query tiles span rows: a tile's keys are its rows' rows (rowBlocksOf),
/// each score masked to its own row (and j <= i for the causal direct
/// keys). u and kt are separate passes (one value head each, so D up to the
/// kernels' 128) and rounded to the inputs' type, like P before P V.
static Value axialOnConfigTiles(PatternRewriter &rewriter, CombinerOp op,
                                TileConfigAttr config) {
  Location loc = op.getLoc();
  MLIRContext *ctx = op.getContext();
  ArrayRef<int64_t> shape = shapeOf(op.getQuery());
  int64_t batch = shape[0], heads = shape[1], length = shape[2], dim = shape[3];
  int64_t width = *op.getBlock(), rows = length / width;
  double scale = scaleOrDefault(op.getScaleAttr(), dim);
  bool causal = op.getCausal();
  Type elementType =
      cast<RankedTensorType>(op.getQuery().getType()).getElementType();
  int64_t queryTile = config.getQueryTile(), keyTile = config.getKeyTile();

  // Attention within each row of `width` positions, over `values`.
  auto withinRows = [&](Value values, bool causalRows, bool withLse) {
    TiledAttention p = combinerProblem(batch, heads, length, length, dim, dim,
                                       queryTile, keyTile, scale, elementType);
    p.query = op.getQuery();
    setKeys(rewriter, loc, p, op.getKey(), config);
    p.value = values;
    p.withLse = withLse;
    p.keyRanges = [=](OpBuilder &b, Location l, Value tile) {
      RowBlocks blocks =
          rowBlocksOf(b, l, tile, queryTile, width, length, causalRows);
      return SmallVector<std::pair<Value, Value>>{{blocks.start, blocks.end}};
    };
    p.keyIntervals = [=](OpBuilder &b, Location l, Value i) {
      return blockKeys(b, l, width, causalRows, i);
    };
    return buildTiledAttention(rewriter, loc, p);
  };
  // Stage one: u (with the whole row's lse) and kt.
  SmallVector<Value> rowSummary = withinRows(op.getValue(), false, true);
  Value keySummary = withinRows(op.getKey(), false, false).front();
  // The direct keys' partial: the whole row, or up to the query.
  SmallVector<Value> direct =
      causal ? withinRows(op.getValue(), true, true) : rowSummary;

  // The abstractions' partial over the column layout.
  TiledAttention column =
      combinerProblem(batch, heads * width, rows, rows, dim, dim, queryTile,
                      keyTile, scale, elementType);
  column.query = toColumns(rewriter, loc, op.getQuery(), width);
  setKeys(rewriter, loc, column, toColumns(rewriter, loc, keySummary, width),
          config);
  column.value = toColumns(rewriter, loc, rowSummary[0], width);
  column.withLse = true;
  if (causal)
    column.mask.causal = CausalMode::top_left;
  column.keyIntervals = [rows, causal](OpBuilder &b, Location l, Value i) {
    return otherRows(b, l, rows, causal, i);
  };
  SmallVector<Value> abstractions = buildTiledAttention(rewriter, loc, column);

  AffineExpr d0, d1, d2, d3;
  bindDims(ctx, d0, d1, d2, d3);
  AffineMap rowMap = AffineMap::get(4, 0, {d0, d1, d2}, ctx);
  AffineMap identity4 = AffineMap::getMultiDimIdentityMap(4, ctx);
  return buildGeneric(
      rewriter, loc,
      {direct[0], direct[1],
       fromColumns(rewriter, loc, abstractions[0], heads, width),
       fromColumns(rewriter, loc, abstractions[1], heads, width)},
      emptyTensor(rewriter, loc, shape, elementType),
      {identity4, rowMap, identity4, rowMap, identity4},
      SmallVector<IteratorType>(4, IteratorType::parallel),
      [&](OpBuilder &nb, Location nl, ValueRange a) -> Value {
        // (lse of the direct keys is finite: every row sees its own key.)
        Value maximum = arith::MaximumFOp::create(nb, nl, a[1], a[3]);
        Value w1 = mergeWeight(nb, nl, a[1], maximum);
        Value w2 = mergeWeight(nb, nl, a[3], maximum);
        Value numerator = arith::AddFOp::create(
            nb, nl, arith::MulFOp::create(nb, nl, w1, toF32(nb, nl, a[0])),
            arith::MulFOp::create(nb, nl, w2, toF32(nb, nl, a[2])));
        return fromF32(
            nb, nl,
            arith::DivFOp::create(nb, nl, numerator,
                                  arith::AddFOp::create(nb, nl, w1, w2)),
            elementType);
      });
}

/// Every other row of x [B, H, N, D] from the first: [B, H, ceil(N/2), D].
static Value evenRowsOf(OpBuilder &b, Location loc, Value x) {
  ArrayRef<int64_t> s = shapeOf(x);
  int64_t even = llvm::divideCeil(s[2], 2);
  SmallVector<OpFoldResult> offsets(4, b.getIndexAttr(0));
  SmallVector<OpFoldResult> strides = {b.getIndexAttr(1), b.getIndexAttr(1),
                                       b.getIndexAttr(2), b.getIndexAttr(1)};
  return tensor::ExtractSliceOp::create(
             b, loc,
             RankedTensorType::get(
                 {s[0], s[1], even, s[3]},
                 cast<ShapedType>(x.getType()).getElementType()),
             x, offsets,
             getAsIndexOpFoldResult(b.getContext(), {s[0], s[1], even, s[3]}),
             strides)
      .getResult();
}

/// The logsparse Combiner on a configuration that does not pad to tiles
/// (the GPU's), on the engine alone, in the inputs' type: stage one builds
/// each level's tables as on the CPU (kbar by pairwise max-pooling, vbar of
/// the even blocks by the engine: 64 blocks a query tile over their keys,
/// each score masked to its own block, j >> l == 2u); stage two is one
/// attention over [k; table_0; table_1; ...] (each part from a whole key
/// tile), where query i sees key i and, at each level l whose bit of i is
/// set, entry i >> (l + 1) of that level's table: per query tile one key
/// range for its own keys and one per level for its rows' entries, every
/// score tested by that rule. The tiles compute 64 x 64 scores where the
/// rule keeps one per row and range: O(L log L) tiles of 64 x 64, against
/// the CPU's O(L log L D) of row-wise lookups.
static Value logsparseOnConfigTiles(PatternRewriter &rewriter, CombinerOp op,
                                    TileConfigAttr config) {
  Location loc = op.getLoc();
  ArrayRef<int64_t> shape = shapeOf(op.getQuery());
  int64_t batch = shape[0], heads = shape[1], length = shape[2], dim = shape[3];
  double scale = scaleOrDefault(op.getScaleAttr(), dim);
  Type elementType =
      cast<RankedTensorType>(op.getQuery().getType()).getElementType();
  int64_t levels = length > 1 ? llvm::Log2_64_Ceil(length) : 0;
  int64_t queryTile = config.getQueryTile(), keyTile = config.getKeyTile();

  // Stage one: the tables of every level.
  SmallVector<Value> keyTables, valueTables;
  Value keyBar = op.getKey(), queryBar = op.getQuery();
  for (int64_t level = 0; level < levels; ++level) {
    if (level > 0) {
      keyBar = blockMax(rewriter, loc, keyBar, 2, 1.0, elementType);
      queryBar = blockMax(rewriter, loc, queryBar, 2, 1.0, elementType);
    }
    Value evenKeys = evenRowsOf(rewriter, loc, keyBar), evenValues;
    if (level == 0) {
      evenValues = evenRowsOf(rewriter, loc, op.getValue()); // vbar = v
    } else {
      int64_t blocks = shapeOf(evenKeys)[2];
      TiledAttention summary =
          combinerProblem(batch, heads, blocks, length, dim, dim, queryTile,
                          keyTile, scale, elementType);
      summary.query = evenRowsOf(rewriter, loc, queryBar);
      setKeys(rewriter, loc, summary, op.getKey(), config);
      summary.value = op.getValue();
      int64_t span = int64_t(2) << level;
      summary.keyRanges = [=](OpBuilder &b, Location l, Value tile) {
        auto [first, last] = tileRows(b, l, tile, queryTile, blocks);
        Value start =
            arith::MulIOp::create(b, l, first, i64Constant(b, l, span));
        Value end = arith::MinSIOp::create(
            b, l,
            arith::AddIOp::create(
                b, l,
                arith::MulIOp::create(b, l, last, i64Constant(b, l, span)),
                i64Constant(b, l, span / 2)),
            i64Constant(b, l, length));
        return SmallVector<std::pair<Value, Value>>{{start, end}};
      };
      summary.keyIntervals = [level, length](OpBuilder &b, Location l,
                                             Value u) -> KeyIntervals {
        // Even block u of the level: keys [2u 2^l, 2u 2^l + 2^l).
        Value start =
            arith::ShLIOp::create(b, l, u, i64Constant(b, l, level + 1));
        Value end = arith::MinSIOp::create(
            b, l,
            arith::AddIOp::create(b, l, start,
                                  i64Constant(b, l, int64_t(1) << level)),
            i64Constant(b, l, length));
        return {{start, end}};
      };
      evenValues = buildTiledAttention(rewriter, loc, summary).front();
    }
    keyTables.push_back(evenKeys);
    valueTables.push_back(evenValues);
  }

  // Stage two over [k; table_0; ...], each part from a whole key tile.
  SmallVector<int64_t> tableStart, tableRows;
  int64_t keys = roundUp(length, keyTile);
  for (Value table : keyTables) {
    tableStart.push_back(keys);
    tableRows.push_back(shapeOf(table)[2]);
    keys += roundUp(tableRows.back(), keyTile);
  }
  auto extended = [&](Value direct, ArrayRef<Value> tables) {
    if (tables.empty())
      return direct;
    SmallVector<Value> parts = {
        padTo(rewriter, loc, direct, {batch, heads, tableStart.front(), dim})};
    for (auto [index, table] : llvm::enumerate(tables))
      parts.push_back(
          padTo(rewriter, loc, table,
                {batch, heads, roundUp(tableRows[index], keyTile), dim}));
    return concatenate(rewriter, loc, parts, 2);
  };
  TiledAttention main =
      combinerProblem(batch, heads, length, levels ? keys : length, dim, dim,
                      queryTile, keyTile, scale, elementType);
  main.query = op.getQuery();
  setKeys(rewriter, loc, main, extended(op.getKey(), keyTables), config);
  main.value = extended(op.getValue(), valueTables);
  main.keyRanges = [=](OpBuilder &b, Location l, Value tile) {
    auto [first, last] = tileRows(b, l, tile, queryTile, length);
    Value one = i64Constant(b, l, 1);
    SmallVector<std::pair<Value, Value>> ranges = {
        {first, arith::AddIOp::create(b, l, last, one)}};
    for (int64_t level = 0; level < levels; ++level) {
      Value shift = i64Constant(b, l, level + 1);
      Value start = i64Constant(b, l, tableStart[level]);
      ranges.push_back(
          {arith::AddIOp::create(b, l, start,
                                 arith::ShRSIOp::create(b, l, first, shift)),
           arith::AddIOp::create(
               b, l, start,
               arith::AddIOp::create(
                   b, l, arith::ShRSIOp::create(b, l, last, shift), one))});
    }
    return ranges;
  };
  main.keyIntervals = [=](OpBuilder &b, Location l, Value i) {
    // Key i, and entry i >> (l + 1) of level l's table where bit l of i is
    // set (an empty interval where it is not).
    Value one = i64Constant(b, l, 1), zero = i64Constant(b, l, 0);
    KeyIntervals intervals = {{i, arith::AddIOp::create(b, l, i, one)}};
    for (int64_t level = 0; level < levels; ++level) {
      Value bitSet = arith::TruncIOp::create(
          b, l, b.getI1Type(),
          arith::ShRSIOp::create(b, l, i, i64Constant(b, l, level)));
      Value entry = arith::AddIOp::create(
          b, l, i64Constant(b, l, tableStart[level]),
          arith::ShRSIOp::create(b, l, i, i64Constant(b, l, level + 1)));
      intervals.push_back(
          {arith::SelectOp::create(b, l, bitSet, entry, zero),
           arith::SelectOp::create(
               b, l, bitSet, arith::AddIOp::create(b, l, entry, one), zero)});
    }
    return intervals;
  };
  return buildTiledAttention(rewriter, loc, main).front();
}

namespace {

/// Combiner, fixed variant. Stage one builds the segment abstractions in
/// O(L D): kbar and qbar by max-pooling, vbar by the engine itself (each
/// qbar attends over its own segment only). Stage two runs the engine over
/// [k; kbar] and [v; vbar], visiting for each query tile the segments of
/// its rows and the abstraction range (the earlier segments when causal,
/// all when not): O(L (b + L/b) D).
///
/// The CPU (a configuration that pads to whole tiles) takes tiles =
/// segments: one qbar a query tile in stage one, one segment in stage two,
/// in f32. A target whose tile lowering masks partial tiles (the GPU's)
/// takes the configuration's tiles, which its kernels are built for: stage
/// one's query tiles hold several segments and its key tiles their keys,
/// stage two's query tiles span segments, and the abstractions start at a
/// whole key tile. There everything stays in the inputs' type, as the
/// kernels take one element type (kbar and qbar are exact in it; vbar is
/// rounded to it, like the P the tensor cores multiply).
struct TileFixedCombiner : OpRewritePattern<CombinerOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(CombinerOp op,
                                PatternRewriter &rewriter) const override {
    TileConfigAttr config = TileConfigAttr::lookup(op);
    if (!config)
      return rewriter.notifyMatchFailure(op, "no tile configuration");
    if (op.getVariant() != CombinerVariant::fixed)
      return rewriter.notifyMatchFailure(op, "not the fixed variant");
    if (failed(requireStaticShapes(rewriter, op)))
      return failure();
    Location loc = op.getLoc();
    ArrayRef<int64_t> shape = shapeOf(op.getQuery());
    int64_t batch = shape[0], heads = shape[1], length = shape[2],
            dim = shape[3];
    int64_t block = *op.getBlock(), segments = length / block;
    double scale = scaleOrDefault(op.getScaleAttr(), dim);
    bool causal = op.getCausal();
    Type elementType =
        cast<RankedTensorType>(op.getQuery().getType()).getElementType();
    bool configTiles = !config.getPadToTiles();
    Type tileType = configTiles ? elementType : rewriter.getF32Type();
    int64_t queryTile = configTiles ? config.getQueryTile() : block;
    int64_t keyTile = configTiles ? config.getKeyTile() : block;
    auto inTileType = [&](Value x) {
      return tileType.isF32() ? tensorToF32(rewriter, loc, x) : x;
    };

    // qbar = max over the segment of scale * q: the scale is applied to the
    // max on the CPU, and by the tiles on the GPU (the max commutes with a
    // positive scale).
    Value keyMax = blockMax(rewriter, loc, op.getKey(), block, 1.0, tileType);
    Value queryMax = blockMax(rewriter, loc, op.getQuery(), block,
                              configTiles ? 1.0 : scale, tileType);

    // vbar[n] = sum over segment n of softmax_j(qbar[n] . k_j) v_j
    int64_t summaryTile = configTiles ? queryTile : 1;
    TiledAttention summary =
        combinerProblem(batch, heads, segments, length, dim, dim, summaryTile,
                        keyTile, configTiles ? scale : 1.0, tileType);
    summary.query = queryMax;
    setKeys(rewriter, loc, summary, op.getKey(), config);
    summary.value = op.getValue();
    summary.keyRanges = blockRange(summaryTile * block, length);
    if (configTiles)
      summary.keyIntervals = [block, length](OpBuilder &b, Location l,
                                             Value n) -> KeyIntervals {
        // Segment n's keys.
        Value start = arith::MulIOp::create(b, l, n, i64Constant(b, l, block));
        return {{start, arith::MinSIOp::create(
                            b, l,
                            arith::AddIOp::create(b, l, start,
                                                  i64Constant(b, l, block)),
                            i64Constant(b, l, length))}};
      };
    Value valueSummary = buildTiledAttention(rewriter, loc, summary).front();

    // The engine over [k; kbar] and [v; vbar], the abstractions from a
    // whole key tile on, padded to whole key tiles.
    int64_t abstractionStart = roundUp(length, keyTile);
    int64_t keys = abstractionStart + segments;
    int64_t paddedKeys = configTiles ? keys : roundUp(keys, keyTile);
    auto extended = [&](Value direct, Value abstractions) {
      Value padded = padTo(rewriter, loc, inTileType(direct),
                           {batch, heads, abstractionStart, dim});
      return padTo(rewriter, loc,
                   concatenate(rewriter, loc, {padded, abstractions}, 2),
                   {batch, heads, paddedKeys, dim});
    };
    Value extendedKeys = extended(op.getKey(), keyMax);
    Value extendedValues = extended(op.getValue(), valueSummary);
    TiledAttention main =
        combinerProblem(batch, heads, length, keys, dim, dim, queryTile,
                        keyTile, scale, elementType);
    main.query = op.getQuery();
    setKeys(rewriter, loc, main, extendedKeys, config);
    main.value = extendedValues;
    // Rows [first, last] of query tile t: the keys of their segments (up to
    // the last row when causal), then the abstractions of the segments
    // before the last row's (causal) or of all of them.
    main.keyRanges = [=](OpBuilder &b, Location l, Value tile) {
      RowBlocks direct =
          rowBlocksOf(b, l, tile, queryTile, block, length, causal);
      Value abstractions = i64Constant(b, l, abstractionStart);
      Value abstractionsEnd = arith::AddIOp::create(
          b, l, abstractions,
          causal ? direct.lastBlock : i64Constant(b, l, segments));
      return SmallVector<std::pair<Value, Value>>{
          {direct.start, direct.end}, {abstractions, abstractionsEnd}};
    };
    main.keyIntervals = [block, length, abstractionStart,
                         causal](OpBuilder &b, Location l, Value i) {
      return fixedCombinerKeyIntervals(b, l, block, length, abstractionStart,
                                       causal, i);
    };
    rewriter.replaceOp(op, buildTiledAttention(rewriter, loc, main));
    return success();
  }
};

/// Combiner, axial variant, position i = r b + c. Stage one: [u | kt] of
/// every row by the engine (query tiles and key ranges = rows, values
/// [v | k]), O(L b D). Stage two, per query, two softmax partials merged:
/// its row's direct keys (the engine over the row, causal within it when
/// causal; when not, stage one's own state), and its column's abstractions
/// kt[r', c], u[r', c] for r' < r (causal) or r' != r: an attention over
/// the transposed layout [B, H * b, L / b, D], O(L (L/b) D).
struct TileAxialCombiner : OpRewritePattern<CombinerOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(CombinerOp op,
                                PatternRewriter &rewriter) const override {
    TileConfigAttr config = TileConfigAttr::lookup(op);
    if (!config)
      return rewriter.notifyMatchFailure(op, "no tile configuration");
    if (op.getVariant() != CombinerVariant::axial)
      return rewriter.notifyMatchFailure(op, "not the axial variant");
    if (failed(requireStaticShapes(rewriter, op)))
      return failure();
    Location loc = op.getLoc();
    MLIRContext *ctx = op.getContext();
    ArrayRef<int64_t> shape = shapeOf(op.getQuery());
    int64_t batch = shape[0], heads = shape[1], length = shape[2],
            dim = shape[3];
    int64_t width = *op.getBlock(), rows = length / width;
    double scale = scaleOrDefault(op.getScaleAttr(), dim);
    bool causal = op.getCausal();
    Type elementType =
        cast<RankedTensorType>(op.getQuery().getType()).getElementType();
    Type f32 = rewriter.getF32Type();
    if (!config.getPadToTiles()) {
      rewriter.replaceOp(op, axialOnConfigTiles(rewriter, op, config));
      return success();
    }
    TiledAttention rowKeys;
    setKeys(rewriter, loc, rowKeys, op.getKey(), config);
    Value key = tensorToF32(rewriter, loc, op.getKey());
    Value value = tensorToF32(rewriter, loc, op.getValue());

    auto rowProblem = [&](Value values, int64_t valueDim) {
      TiledAttention p = combinerProblem(batch, heads, length, length, dim,
                                         valueDim, width, width, scale, f32);
      p.query = op.getQuery();
      p.key = rowKeys.key;
      p.keysTransposed = rowKeys.keysTransposed;
      p.value = values;
      p.keyRanges = blockRange(width, length);
      p.partial = true;
      return p;
    };
    auto lastDims = [&](Value x, int64_t offset, int64_t size) {
      SmallVector<OpFoldResult> offsets(4, rewriter.getIndexAttr(0));
      offsets[3] = rewriter.getIndexAttr(offset);
      return sliceOf(rewriter, loc, x, offsets, {batch, heads, length, size},
                     {batch, heads, length, size});
    };
    // Stage one: the whole-row state with values [v | k].
    SmallVector<Value> rowState = buildTiledAttention(
        rewriter, loc,
        rowProblem(concatenate(rewriter, loc, {value, key}, 3), 2 * dim));
    AffineExpr d0, d1, d2, d3, d4;
    bindDims(ctx, d0, d1, d2, d3, d4);
    AffineMap rowMap = AffineMap::get(4, 0, {d0, d1, d2}, ctx);
    AffineMap identity4 = AffineMap::getMultiDimIdentityMap(4, ctx);
    SmallVector<IteratorType> parallel4(4, IteratorType::parallel);
    // u | kt = acc / l (l >= 1: every row has its own keys)
    Value summaries = buildGeneric(
        rewriter, loc, {rowState[0], rowState[2]},
        emptyTensor(rewriter, loc, {batch, heads, length, 2 * dim}, f32),
        {identity4, rowMap, identity4}, parallel4,
        [](OpBuilder &nb, Location nl, ValueRange a) -> Value {
          return arith::DivFOp::create(nb, nl, a[0], a[1]);
        });
    Value rowSummary = lastDims(summaries, 0, dim);
    Value keySummary = lastDims(summaries, dim, dim);

    // The direct keys' partial: the row, causal within it when causal.
    Value directAcc, directMax, directSum;
    if (causal) {
      TiledAttention direct = rowProblem(value, dim);
      direct.mask.causal = CausalMode::top_left;
      SmallVector<Value> state = buildTiledAttention(rewriter, loc, direct);
      directAcc = state[0];
      directMax = state[1];
      directSum = state[2];
    } else {
      directAcc = lastDims(rowState[0], 0, dim);
      directMax = rowState[1];
      directSum = rowState[2];
    }

    // The abstractions' partial over the transposed layout: query (r, c) of
    // head h is query r of head h * b + c.
    auto columnsOf = [&](Value x) {
      return toColumns(rewriter, loc, x, width);
    };
    auto rowsOf = [&](Value x) {
      return fromColumns(rewriter, loc, x, heads, width);
    };
    int64_t columnTile = std::min<int64_t>(rows, config.getQueryTile());
    int64_t paddedRows = roundUp(rows, columnTile);
    auto padRows = [&](Value x) {
      SmallVector<int64_t> padded(shapeOf(x));
      padded[2] = paddedRows;
      return padTo(rewriter, loc, x, padded);
    };
    TiledAttention column =
        combinerProblem(batch, heads * width, rows, rows, dim, dim, columnTile,
                        columnTile, scale, f32);
    column.query = padRows(columnsOf(op.getQuery()));
    setKeys(rewriter, loc, column, padRows(columnsOf(keySummary)), config);
    column.value = padRows(columnsOf(rowSummary));
    // Loop bounds of a causal mask (keys up to the query's row); the mask
    // itself is strict: earlier rows only, or every other row.
    if (causal)
      column.mask.causal = CausalMode::top_left;
    column.keyIntervals = [rows, causal](OpBuilder &b, Location l, Value i) {
      return otherRows(b, l, rows, causal, i);
    };
    column.partial = true;
    SmallVector<Value> columnState = buildTiledAttention(rewriter, loc, column);

    // Merge: o = (e1 acc1 + e2 acc2) / (e1 l1 + e2 l2), e_k = exp(m_k - m).
    Value merged = buildGeneric(
        rewriter, loc,
        {directAcc, directMax, directSum, rowsOf(columnState[0]),
         rowsOf(columnState[1]), rowsOf(columnState[2])},
        emptyTensor(rewriter, loc, shape, elementType),
        {identity4, rowMap, rowMap, identity4, rowMap, rowMap, identity4},
        parallel4, [&](OpBuilder &nb, Location nl, ValueRange a) -> Value {
          Value maximum = arith::MaximumFOp::create(nb, nl, a[1], a[4]);
          Value e1 = mergeWeight(nb, nl, a[1], maximum);
          Value e2 = mergeWeight(nb, nl, a[4], maximum);
          Value numerator = arith::AddFOp::create(
              nb, nl, arith::MulFOp::create(nb, nl, e1, a[0]),
              arith::MulFOp::create(nb, nl, e2, a[3]));
          Value denominator = arith::AddFOp::create(
              nb, nl, arith::MulFOp::create(nb, nl, e1, a[2]),
              arith::MulFOp::create(nb, nl, e2, a[5]));
          return fromF32(nb, nl,
                         arith::DivFOp::create(nb, nl, numerator, denominator),
                         elementType);
        });
    rewriter.replaceOp(op, merged);
    return success();
  }
};

/// Combiner, logsparse variant (causal). Query i takes the abstraction of
/// block floor(i / 2^l) - 1 at each level l whose bit of i is set; that
/// block is always an even one, number floor(i / 2^(l+1)) among the even
/// blocks of its level. So stage one builds, per level, kbar of every block
/// by pairwise max-pooling of the level below (O(L D) in all), and vbar of
/// the even blocks by the engine (one query qbar per block, its block's
/// keys; O(L D) per level). Stage two is an scf.forall over (batch, head,
/// tile of rows): each row starts its online softmax at its own key and
/// folds in one abstraction per level, read from the level's tables at the
/// affine index i floordiv 2^(l+1); the state stays in the tile across all
/// levels. O(L log L D) in all.
struct TileLogSparseCombiner : OpRewritePattern<CombinerOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(CombinerOp op,
                                PatternRewriter &rewriter) const override {
    TileConfigAttr config = TileConfigAttr::lookup(op);
    if (!config)
      return rewriter.notifyMatchFailure(op, "no tile configuration");
    if (op.getVariant() != CombinerVariant::logsparse)
      return rewriter.notifyMatchFailure(op, "not the logsparse variant");
    if (failed(requireStaticShapes(rewriter, op)))
      return failure();
    Location loc = op.getLoc();
    MLIRContext *ctx = op.getContext();
    ArrayRef<int64_t> shape = shapeOf(op.getQuery());
    int64_t batch = shape[0], heads = shape[1], length = shape[2],
            dim = shape[3];
    double scale = scaleOrDefault(op.getScaleAttr(), dim);
    Type elementType =
        cast<RankedTensorType>(op.getQuery().getType()).getElementType();
    Type f32 = rewriter.getF32Type();
    if (!config.getPadToTiles()) {
      rewriter.replaceOp(op, logsparseOnConfigTiles(rewriter, op, config));
      return success();
    }
    int64_t levels = length > 1 ? llvm::Log2_64_Ceil(length) : 0;
    // A power of two: the row tiles (and the register tiles within them)
    // then start at multiples of every span up to their size, so that the
    // floordiv lookups stay the same affine maps inside each tile.
    int64_t rowTile = std::min<int64_t>(
        int64_t(llvm::bit_floor(uint64_t(config.getQueryTile()))),
        llvm::PowerOf2Ceil(length));
    int64_t paddedRows = roundUp(length, rowTile);

    // q' = scale * q (f32)
    AffineMap identity4 = AffineMap::getMultiDimIdentityMap(4, ctx);
    Value query = buildGeneric(
        rewriter, loc, op.getQuery(), emptyTensor(rewriter, loc, shape, f32),
        {identity4, identity4},
        SmallVector<IteratorType>(4, IteratorType::parallel),
        [scale](OpBuilder &nb, Location nl, ValueRange a) -> Value {
          return arith::MulFOp::create(nb, nl, toF32(nb, nl, a[0]),
                                       f32Constant(nb, nl, scale));
        });
    Value key = tensorToF32(rewriter, loc, op.getKey());
    Value value = tensorToF32(rewriter, loc, op.getValue());
    // The engine's keys and values, padded to whole tiles of up to the
    // configuration's key tile, rounded down to a power of two so that the
    // tiles of a level's blocks (2^l keys at multiples of 2^(l+1)) start at
    // its blocks' starts.
    int64_t keyTile = int64_t(llvm::bit_floor(uint64_t(config.getKeyTile())));
    int64_t engineKeys = roundUp(length, keyTile);
    TiledAttention keys;
    setKeys(rewriter, loc, keys,
            padTo(rewriter, loc, key, {batch, heads, engineKeys, dim}), config);
    Value engineValue =
        padTo(rewriter, loc, value, {batch, heads, engineKeys, dim});

    // Stage one: the tables of every level, rows = the even blocks, padded
    // with zero rows so that the padded query rows read in bounds.
    auto evenRows = [&](Value x) {
      int64_t rows = shapeOf(x)[2];
      int64_t even = llvm::divideCeil(rows, 2);
      SmallVector<OpFoldResult> offsets(4, rewriter.getIndexAttr(0));
      SmallVector<OpFoldResult> strides = {
          rewriter.getIndexAttr(1), rewriter.getIndexAttr(1),
          rewriter.getIndexAttr(2), rewriter.getIndexAttr(1)};
      return tensor::ExtractSliceOp::create(
                 rewriter, loc,
                 RankedTensorType::get({batch, heads, even, dim}, f32), x,
                 offsets,
                 getAsIndexOpFoldResult(ctx, {batch, heads, even, dim}),
                 strides)
          .getResult();
    };
    SmallVector<Value> keyTables, valueTables;
    Value keyBar = key, queryBar = query;
    for (int64_t level = 0; level < levels; ++level) {
      int64_t size = int64_t(1) << level;
      if (level > 0) {
        keyBar = blockMax(rewriter, loc, keyBar, 2, 1.0, f32);
        queryBar = blockMax(rewriter, loc, queryBar, 2, 1.0, f32);
      }
      Value evenKeys = evenRows(keyBar), evenValues;
      if (level == 0) {
        evenValues = evenRows(value); // a block of one key: vbar = v
      } else {
        // vbar of even block u = softmax over its keys of qbar . k, times v.
        int64_t blocks = shapeOf(evenKeys)[2];
        TiledAttention summary =
            combinerProblem(batch, heads, blocks, length, dim, dim, 1,
                            std::min<int64_t>(size, keyTile), 1.0, f32);
        summary.query = evenRows(queryBar);
        summary.key = keys.key;
        summary.keysTransposed = keys.keysTransposed;
        summary.value = engineValue;
        summary.keyRanges = [size, length](OpBuilder &b, Location l,
                                           Value tile) {
          Value start = arith::MulIOp::create(b, l, indexToI64(b, l, tile),
                                              i64Constant(b, l, 2 * size));
          Value end = arith::MinSIOp::create(
              b, l, arith::AddIOp::create(b, l, start, i64Constant(b, l, size)),
              i64Constant(b, l, length));
          return SmallVector<std::pair<Value, Value>>{{start, end}};
        };
        evenValues = buildTiledAttention(rewriter, loc, summary).front();
      }
      int64_t tableRows = llvm::divideCeil(paddedRows, 2 * size);
      keyTables.push_back(
          padTo(rewriter, loc, evenKeys, {batch, heads, tableRows, dim}));
      valueTables.push_back(
          padTo(rewriter, loc, evenValues, {batch, heads, tableRows, dim}));
    }

    // Stage two, one tile of rows at a time.
    Value paddedQuery =
        padTo(rewriter, loc, query, {batch, heads, paddedRows, dim});
    Value paddedKey =
        padTo(rewriter, loc, key, {batch, heads, paddedRows, dim});
    Value paddedValue =
        padTo(rewriter, loc, value, {batch, heads, paddedRows, dim});
    auto forall = scf::ForallOp::create(
        rewriter, loc,
        ArrayRef<OpFoldResult>{rewriter.getIndexAttr(batch),
                               rewriter.getIndexAttr(heads),
                               rewriter.getIndexAttr(paddedRows / rowTile)},
        ValueRange{emptyTensor(rewriter, loc, {batch, heads, paddedRows, dim},
                               elementType)},
        std::nullopt);
    {
      OpBuilder::InsertionGuard guard(rewriter);
      rewriter.setInsertionPoint(forall.getTerminator());
      SmallVector<Value> ivs = forall.getInductionVars();
      Value batchIndex = ivs[0], headIndex = ivs[1];
      Value firstRow = arith::MulIOp::create(
          rewriter, loc, ivs[2],
          arith::ConstantIndexOp::create(rewriter, loc, rowTile));
      OpFoldResult zero = rewriter.getIndexAttr(0);
      auto rowsOf = [&](Value x) {
        return sliceOf(rewriter, loc, x,
                       {batchIndex, headIndex, firstRow, zero},
                       {1, 1, rowTile, dim}, {rowTile, dim});
      };
      AffineExpr d0, d1;
      bindDims(ctx, d0, d1);
      AffineMap identity2 = AffineMap::getMultiDimIdentityMap(2, ctx);
      AffineMap identity1 = AffineMap::getMultiDimIdentityMap(1, ctx);
      AffineMap row = AffineMap::get(2, 0, {d0}, ctx);
      SmallVector<IteratorType> rowDot = {IteratorType::parallel,
                                          IteratorType::reduction};
      SmallVector<IteratorType> parallel1 = {IteratorType::parallel};
      SmallVector<IteratorType> parallel2(2, IteratorType::parallel);
      auto dot = [&](Value lhs, Value rhs, AffineMap rhsMap) {
        return buildGeneric(
            rewriter, loc, {lhs, rhs},
            filledTensor(rewriter, loc, {rowTile}, 0), {identity2, rhsMap, row},
            rowDot, [](OpBuilder &nb, Location nl, ValueRange a) -> Value {
              return arith::AddFOp::create(
                  nb, nl, a[2], arith::MulFOp::create(nb, nl, a[0], a[1]));
            });
      };
      auto rowwise = [&](ValueRange inputs, const BodyBuilder &body) {
        SmallVector<AffineMap> maps(inputs.size() + 1, identity1);
        return buildGeneric(rewriter, loc, inputs,
                            emptyTensor(rewriter, loc, {rowTile}, f32), maps,
                            parallel1, body);
      };

      Value queryRows = rowsOf(paddedQuery);
      // The direct key i: m = q'_i . k_i, l = 1, acc = v_i.
      Value rowMax = dot(queryRows, rowsOf(paddedKey), identity2);
      Value rowSum = filledTensor(rewriter, loc, {rowTile}, 1.0);
      Value acc = rowsOf(paddedValue);
      Value firstRow64 = indexToI64(rewriter, loc, firstRow);
      for (int64_t level = 0; level < levels; ++level) {
        // Rows i of the tile read table row i floordiv 2^(l+1).
        int64_t span = int64_t(2) << level;
        int64_t tableRows = span <= rowTile ? rowTile / span : 1;
        Value firstTableRow = arith::DivUIOp::create(
            rewriter, loc, firstRow,
            arith::ConstantIndexOp::create(rewriter, loc, span));
        auto tableOf = [&](Value table) {
          return sliceOf(rewriter, loc, table,
                         {batchIndex, headIndex, firstTableRow, zero},
                         {1, 1, tableRows, dim}, {tableRows, dim});
        };
        AffineMap lookup =
            AffineMap::get(2, 0,
                           {span <= rowTile ? d0.floorDiv(span)
                                            : getAffineConstantExpr(0, ctx),
                            d1},
                           ctx);
        Value dots = dot(queryRows, tableOf(keyTables[level]), lookup);
        // z = q'_i . kbar, -inf where bit l of i is clear.
        Value logits = rowwise(
            dots, [&](OpBuilder &nb, Location nl, ValueRange a) -> Value {
              Value i = arith::AddIOp::create(nb, nl, firstRow64,
                                              loopIndex(nb, nl, 0));
              Value bit = arith::AndIOp::create(
                  nb, nl,
                  arith::ShRUIOp::create(nb, nl, i, i64Constant(nb, nl, level)),
                  i64Constant(nb, nl, 1));
              Value set =
                  arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::ne, bit,
                                        i64Constant(nb, nl, 0));
              return arith::SelectOp::create(nb, nl, set, a[0],
                                             f32Constant(nb, nl, kNegInf));
            });
        // m' = max(m, z) (m is finite: the direct key); a = exp(m - m');
        // p = exp(z - m') (0 for z = -inf); l = a l + p; acc = a acc + p vbar.
        Value newMax = rowwise(
            {rowMax, logits}, [](OpBuilder &nb, Location nl, ValueRange a) {
              return arith::MaximumFOp::create(nb, nl, a[0], a[1]).getResult();
            });
        auto expDifference = [](OpBuilder &nb, Location nl, ValueRange a) {
          return math::ExpOp::create(nb, nl,
                                     arith::SubFOp::create(nb, nl, a[0], a[1]))
              .getResult();
        };
        Value alpha = rowwise({rowMax, newMax}, expDifference);
        Value weight = rowwise({logits, newMax}, expDifference);
        rowSum = rowwise({alpha, rowSum, weight}, [](OpBuilder &nb, Location nl,
                                                     ValueRange a) {
          return arith::AddFOp::create(
                     nb, nl, arith::MulFOp::create(nb, nl, a[0], a[1]), a[2])
              .getResult();
        });
        acc = buildGeneric(
            rewriter, loc, {alpha, acc, weight, tableOf(valueTables[level])},
            emptyTensor(rewriter, loc, {rowTile, dim}, f32),
            {row, identity2, row, lookup, identity2}, parallel2,
            [](OpBuilder &nb, Location nl, ValueRange a) -> Value {
              return arith::AddFOp::create(
                  nb, nl, arith::MulFOp::create(nb, nl, a[0], a[1]),
                  arith::MulFOp::create(nb, nl, a[2], a[3]));
            });
        rowMax = newMax;
      }
      Value out = buildGeneric(
          rewriter, loc, {acc, rowSum},
          emptyTensor(rewriter, loc, {rowTile, dim}, elementType),
          {identity2, row, identity2}, parallel2,
          [elementType](OpBuilder &nb, Location nl, ValueRange a) -> Value {
            return fromF32(nb, nl, arith::DivFOp::create(nb, nl, a[0], a[1]),
                           elementType);
          });
      rewriter.setInsertionPointToStart(forall.getTerminator().getBody());
      SmallVector<OpFoldResult> strides(4, rewriter.getIndexAttr(1));
      tensor::ParallelInsertSliceOp::create(
          rewriter, loc, out, forall.getRegionIterArgs()[0],
          ArrayRef<OpFoldResult>{batchIndex, headIndex, firstRow, zero},
          getAsIndexOpFoldResult(ctx, {1, 1, rowTile, dim}), strides);
    }
    Value result = forall.getResult(0);
    if (paddedRows != length) {
      SmallVector<OpFoldResult> offsets(4, rewriter.getIndexAttr(0));
      result = sliceOf(rewriter, loc, result, offsets, shape, shape);
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void tile::populateCombinerTilingPatterns(RewritePatternSet &patterns) {
  patterns.add<TileFixedCombiner, TileAxialCombiner, TileLogSparseCombiner>(
      patterns.getContext());
}
